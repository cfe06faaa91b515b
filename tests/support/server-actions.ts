import { expect } from "vitest";

/** A server action's FormData from plain values. */
export function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

/** next/navigation's redirect() throws an error whose digest carries the target. */
export const redirectsTo = (target: string) => expect.objectContaining({ digest: expect.stringContaining(`;${target};`) });
