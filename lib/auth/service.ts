import "server-only";
import { ApiError } from "@/lib/api/errors";
import { assertLoginAllowed, consumePasswordResetRequest, consumeSignup, recordFailedLogin, rewardLogin } from "@/lib/api/rate-limit";
import { deleteAllForOwner } from "@/lib/db/queries/projects";
import { getAuthAdapter } from "./adapter";
import type { AuthResult, AuthUser } from "./types";

/**
 * The auth use cases with their throttles, shared by the REST routes and the pages' server actions so both
 * paths enforce exactly the same rules.
 */
export async function signUp(input: { email: string; password: string; fullName?: string }, ip: string): Promise<AuthResult> {
  await consumeSignup(ip);
  return getAuthAdapter().signUp(input);
}

export async function logIn(input: { email: string; password: string }, ip: string): Promise<AuthResult> {
  await assertLoginAllowed(input.email, ip);
  try {
    const result = await getAuthAdapter().signIn(input);
    await rewardLogin(input.email);
    return result;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await recordFailedLogin(input.email, ip);
    throw error;
  }
}

export const refreshSession = (refreshToken: string, options?: { reuseIntervalMs?: number }) => getAuthAdapter().refresh(refreshToken, options);

/** How long the browser's just-rotated refresh cookie still renews the session (parallel requests at expiry). */
export const BROWSER_REFRESH_REUSE_INTERVAL_MS = 10_000;

export const logOut = (tokens: { accessToken?: string; refreshToken?: string }) => getAuthAdapter().signOut(tokens);

export async function requestPasswordReset(email: string): Promise<void> {
  await consumePasswordResetRequest(email);
  await getAuthAdapter().requestPasswordReset(email);
}

export const confirmPasswordReset = (token: string, password: string) => getAuthAdapter().confirmPasswordReset(token, password);

export const changePassword = (user: AuthUser, current: string, next: string) => getAuthAdapter().changePassword(user, current, next);

/** Deletes every project (chats and messages cascade) and then the account itself. */
export async function deleteAccount(user: AuthUser): Promise<void> {
  await deleteAllForOwner(user.id);
  await getAuthAdapter().deleteAccount(user);
}
