import "server-only";
import type { AuthError, Session, SupabaseClient, User } from "@supabase/supabase-js";
import { ApiError } from "@/lib/api/errors";
import { getConfig } from "@/lib/config/env";
import { issuedBeforeDeletion } from "@/lib/auth/deleted-accounts";
import { accountStateOf } from "@/lib/accounts/state";
import { invalidCredentials, invalidResetToken } from "@/lib/auth/errors";
import type { AuthResult, AuthUser, TokenAuth } from "@/lib/auth/types";

/**
 * The Supabase Auth calls both session kinds share: the REST API runs them on a stateless supabase-js client
 * (the caller keeps the tokens), the pages on the request's `@supabase/ssr` client (the session goes into
 * Supabase's cookies). Either way the same errors come out.
 */
/** What an access token of the project at `url` must carry: ES256/RS256 (no HS256, no `none`), issuer, audience. */
export const supabaseTokenRules = (url: string) => ({
  algorithms: ["ES256", "RS256"],
  issuer: `${url}/auth/v1`,
  audience: "authenticated",
});

function fullNameOf(metadata: unknown): string {
  const name = (metadata as { full_name?: unknown } | null)?.full_name;
  return typeof name === "string" ? name : "";
}

/**
 * A verified access token's claims as our user; null without the claims every Supabase user token has, or
 * when the token predates the deletion of the account in Parley.
 */
export async function userOfClaims(claims: {
  sub?: unknown;
  email?: unknown;
  user_metadata?: unknown;
  iat?: unknown;
}): Promise<AuthUser | null> {
  if (typeof claims.sub !== "string" || typeof claims.email !== "string") return null;
  if (await issuedBeforeDeletion(claims.sub, claims.iat)) return null;
  // The email claim of a token whose signature was verified (never user_metadata, which the user may edit) is
  // what ADMIN_EMAILS is compared with.
  const user = { id: claims.sub, email: claims.email, fullName: fullNameOf(claims.user_metadata) };
  // A disabled account is refused on its next request: the proxy then clears its cookies (logged out).
  if ((await accountStateOf(user)).status === "disabled") return null;
  return user;
}

export function toResult(user: User, session: Session | null): AuthResult {
  return {
    user: {
      id: user.id,
      email: user.email ?? "",
      fullName: fullNameOf(user.user_metadata),
      createdAt: new Date(user.created_at),
    },
    tokens: session
      ? { accessToken: session.access_token, refreshToken: session.refresh_token, expiresIn: session.expires_in }
      : null,
  };
}

/** Supabase's own failures are reported without their upstream text. */
export function upstream(error?: AuthError): ApiError {
  if (error?.status === 429)
    return new ApiError("rate_limited", "auth", "Too many attempts. Please wait and try again.", {
      headers: { "Retry-After": "60" },
    });
  return new ApiError("upstream", "auth", "The sign-in service did not answer as expected. Please try again.");
}

export async function signUpWith(
  client: SupabaseClient,
  { email, password, fullName }: { email: string; password: string; fullName?: string },
): Promise<AuthResult> {
  const { data, error } = await client.auth.signUp({ email, password, options: { data: { full_name: fullName ?? "" } } });
  if (error) {
    if (error.code === "user_already_exists" || error.code === "email_exists")
      throw new ApiError("conflict", "auth", "An account with this email already exists");
    if (error.code === "weak_password")
      throw new ApiError("validation", "auth", "The password is too weak", {
        errors: [{ path: "password", message: "The password is too weak" }],
      });
    throw upstream(error);
  }
  if (!data.user) throw upstream();
  return toResult(data.user, data.session);
}

export async function signInWith(
  client: SupabaseClient,
  { email, password }: { email: string; password: string },
): Promise<AuthResult> {
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error)
    throw error.status === 400 || error.status === 401 || error.code === "invalid_credentials"
      ? invalidCredentials()
      : upstream(error);
  return toResult(data.user, data.session);
}

export async function requestPasswordResetWith(client: SupabaseClient, email: string): Promise<void> {
  const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo: `${getConfig().appUrl}/reset-password` });
  // Any other failure looks like success: the answer must not tell whether the account exists.
  if (error && error.status === 429) throw upstream(error);
}

/** Sets the new password from the link's token_hash, then ends every session of the user (as built-in does). */
export async function confirmPasswordResetWith(client: SupabaseClient, tokenHash: string, password: string): Promise<void> {
  const { error } = await client.auth.verifyOtp({ token_hash: tokenHash, type: "recovery" });
  if (error) throw invalidResetToken();
  await updatePasswordAndEndSessions(client, password);
}

/** For a client that holds the user's fresh session: new password, then every session of the user ends. */
export async function updatePasswordAndEndSessions(client: SupabaseClient, password: string): Promise<void> {
  const updated = await client.auth.updateUser({ password });
  if (updated.error) throw upstream(updated.error);
  await client.auth.signOut({ scope: "global" });
}

/** The account flows, each run on a client from `clientOf`: a stateless one for the API, the request's for pages. */
export function accountFlowsOn(
  clientOf: () => SupabaseClient | Promise<SupabaseClient>,
): Pick<TokenAuth, "signUp" | "signIn" | "requestPasswordReset" | "confirmPasswordReset"> {
  return {
    signUp: async (input) => signUpWith(await clientOf(), input),
    signIn: async (input) => signInWith(await clientOf(), input),
    requestPasswordReset: async (email) => requestPasswordResetWith(await clientOf(), email),
    confirmPasswordReset: async (token, password) => confirmPasswordResetWith(await clientOf(), token, password),
  };
}
