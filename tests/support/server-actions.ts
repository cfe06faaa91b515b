import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";

/** A server action's FormData from plain values. */
export function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

/** next/navigation's redirect() throws an error whose digest carries the target. */
export const redirectsTo = (target: string) => expect.objectContaining({ digest: expect.stringContaining(`;${target};`) });

export interface DiscoveredAction {
  /** "<file>#<export>", e.g. "lib/auth/account-actions.ts#deleteAccountAction" */
  key: string;
  fn: (...args: unknown[]) => Promise<unknown>;
}

const root = process.cwd();

/** "use server" modules under app/ and lib/, as paths relative to the repository. */
function actionModules(): string[] {
  const files: string[] = [];
  for (const dir of ["app", "lib"]) {
    for (const file of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })) {
      if (!/\.tsx?$/.test(file)) continue;
      const source = fs.readFileSync(path.join(root, dir, file), "utf8");
      // The directive may follow comment lines (as Next allows; a mutation-testing sandbox adds one).
      if (/^(\s*\/\/[^\n]*\n)*\s*["']use server["']/.test(source)) files.push(path.join(dir, file).split(path.sep).join("/"));
    }
  }
  return files.sort();
}

/** Every exported function of every "use server" module: found on disk, so a new action is never forgotten. */
export async function discoverActions(): Promise<DiscoveredAction[]> {
  const found: DiscoveredAction[] = [];
  for (const file of actionModules()) {
    const mod = (await import(/* @vite-ignore */ path.join(root, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "function") found.push({ key: `${file}#${name}`, fn: value as DiscoveredAction["fn"] });
    }
  }
  return found;
}

/** Runs an action the way Next would: a redirect or not-found comes back as its digest instead of a throw. */
export async function actionOutcome(run: () => Promise<unknown>): Promise<{ value?: unknown; digest?: string }> {
  try {
    return { value: await run() };
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === "string") return { digest };
    throw error;
  }
}
