import "server-only";
import { ApiError } from "@/lib/api/errors";
import { beginLogin, consumePasswordResetRequest, consumeSignup } from "@/lib/rate-limit/policy";
import { deleteAllForOwner } from "@/lib/db/queries/projects";
import { getAuthAdapter } from "./adapter";
import { forgetAccountState, isAdminEmail } from "@/lib/accounts/state";
import { deleteAccountRow } from "@/lib/db/queries/accounts";
import { firstAdminClaimed } from "@/lib/db/queries/app-settings";
import { getRuntimeSettings } from "@/lib/settings/runtime";
import { signupClosed } from "./errors";
import type { AuthResult, AuthUser } from "./types";

/**
 * The auth use cases with their throttles, shared by the REST routes and the pages' server actions so both
 * paths enforce exactly the same rules. `to` says where the session goes: "api" answers with tokens (the REST
 * API), "browser" keeps it in the browser's cookies (the pages' server actions).
 */
export type SessionTarget = "api" | "browser";

const sessions = (to: SessionTarget) => (to === "browser" ? getAuthAdapter().browser : getAuthAdapter());

export async function signUp(
  input: { email: string; password: string; fullName?: string },
  ip: string | undefined,
  to: SessionTarget = "api",
): Promise<AuthResult> {
  await consumeSignup(ip);
  await assertSignupAllowed(input.email);
  return sessions(to).signUp(input);
}

export async function logIn(
  input: { email: string; password: string },
  ip: string | undefined,
  to: SessionTarget = "api",
): Promise<AuthResult> {
  const attempt = await beginLogin(input.email, ip);
  let result: AuthResult;
  try {
    result = await sessions(to).signIn(input);
  } catch (error) {
    // A wrong password (401) keeps the attempt spent; a check that failed for another reason gives it back.
    if (!(error instanceof ApiError && error.status === 401)) await attempt.abandoned();
    throw error;
  }
  await attempt.succeeded();
  return result;
}

export const refreshSession = (refreshToken: string) => getAuthAdapter().refresh(refreshToken);

/** REST logout: revokes the tokens the caller holds. */
export const logOut = (tokens: { accessToken?: string; refreshToken?: string }) => getAuthAdapter().signOut(tokens);

/** Logout for server actions: revokes the browser's session (or every session of the user) server-side, then clears its cookies. */
export const endBrowserSession = (options?: { everywhere?: boolean }) => getAuthAdapter().browser.signOut(options);

export async function requestPasswordReset(email: string, to: SessionTarget = "api"): Promise<void> {
  await consumePasswordResetRequest(email);
  await sessions(to).requestPasswordReset(email);
}

export const confirmPasswordReset = (token: string, password: string, to: SessionTarget = "api") =>
  sessions(to).confirmPasswordReset(token, password);

export const changePassword = (user: AuthUser, current: string, next: string) =>
  getAuthAdapter().changePassword(user, current, next);

/** Deletes every project (chats and messages cascade) and then the account itself, its role and budget too. */
export async function deleteAccount(user: AuthUser): Promise<void> {
  await deleteAllForOwner(user.id);
  await getAuthAdapter().deleteAccount(user);
  await deleteAccountRow(user.id);
  forgetAccountState(user.id);
}

/**
 * The sign-up policy, before an account is made (REST and the register page alike). `closed` refuses everyone
 * but ADMIN_EMAILS, and, with built-in accounts, the very first account (the admin-to-be: nobody else could
 * ever let anyone in). `approval` lets the account be made; it starts pending (lib/accounts/state.ts).
 */
async function assertSignupAllowed(email: string): Promise<void> {
  if ((await getRuntimeSettings()).signupPolicy !== "closed" || isAdminEmail(email)) return;
  if (getAuthAdapter().kind === "builtin" && !(await firstAdminClaimed())) return;
  throw signupClosed();
}
