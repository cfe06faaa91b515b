import "server-only";
import type { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import type { AuthFormState } from "./form-state";

/** zod issues → one message per field (the first), for display under each input. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Expected failures become form state; anything else is rethrown (the error boundary shows a generic page). */
export function formStateOf(error: unknown, values: Record<string, string>): AuthFormState {
  if (!(error instanceof ApiError)) throw error;
  if (error.errors?.length) {
    return { values, fieldErrors: Object.fromEntries(error.errors.map((e) => [e.path, e.message])) };
  }
  if (error.type === "conflict") return { values, fieldErrors: { email: error.message } };
  return { values, formError: error.message };
}

/**
 * A text field of a submitted form. An action is an endpoint that can be called with any arguments, not only
 * the FormData its page sends: anything else has no fields (a refusal), instead of a TypeError (a 500).
 */
export function formText(form: unknown, name: string): string {
  const value = form instanceof FormData ? form.get(name) : null;
  return typeof value === "string" ? value : "";
}
