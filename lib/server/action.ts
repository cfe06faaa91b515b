import "server-only";
import { unstable_rethrow } from "next/navigation";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/server";
import type { AuthUser } from "@/lib/auth/types";
import { loggable } from "@/lib/db/errors";

/**
 * What every server action answers. Refusals come back as values, not exceptions, so the client can roll back
 * its optimistic change and say why; `fieldErrors` names the form fields a validation refused.
 */
export type ActionResult<T = undefined> =
  { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string> };

export const ACTION_FAILED = "Something went wrong on our side. Please try again.";

export function actionError(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

export interface ActionOptions {
  /** Where /login sends the user back to when the caller is signed out. */
  nextPath?: string;
  /** The sentence for a refusal (ApiError); by default its own message. */
  describe?: (error: ApiError) => string;
}

/**
 * The one shape of an authenticated server action (a public endpoint, whatever the page showed): the caller is
 * checked again, a refusal (ApiError) becomes `{ ok: false, error }`, and an unexpected failure is logged
 * without the statement's parameters (Next would log the raw error, whose message quotes them: the title or
 * prompt being saved) and answered with a generic sentence. Next's own redirects and not-found signals pass.
 */
export async function withUserAction<T>(
  work: (user: AuthUser) => Promise<T>,
  options: ActionOptions = {},
): Promise<ActionResult<T>> {
  // Outside the try: requireUser redirects to /login by throwing, which must reach Next untouched.
  const user = await requireUser(options.nextPath);
  try {
    return { ok: true, data: await work(user) };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof ApiError) {
      const fieldErrors = error.errors ? Object.fromEntries(error.errors.map((e) => [e.path, e.message])) : undefined;
      return { ok: false, error: options.describe?.(error) ?? error.message, fieldErrors };
    }
    console.error("[parley] action failed:", loggable(error));
    return actionError(ACTION_FAILED);
  }
}
