import "server-only";
import { createClient, type AuthError, type Session, type SupabaseClient, type User } from "@supabase/supabase-js";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { ApiError } from "@/lib/api/errors";
import { getConfig } from "@/lib/config/env";
import { invalidCredentials, invalidResetToken, wrongCurrentPassword } from "./errors";
import type { AuthAdapter, AuthResult, AuthUser } from "./types";

/**
 * Supabase Auth through supabase-js. The tokens Supabase issues travel in our own session cookies, so proxy,
 * pages and the REST API treat both adapters alike; access tokens are verified locally against the project's
 * JWKS with issuer, audience, expiry and an algorithm allow-list (no HS256, no `none`).
 */
function client(): SupabaseClient {
  const { supabase } = getConfig();
  if (!supabase) throw new Error("Supabase is not configured");
  // A fresh client per call: nothing of one user's session may linger for the next request.
  return createClient(supabase.url, supabase.key, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
}

const jwksByUrl = new Map<string, JWTVerifyGetKey>();

function jwks(url: string): JWTVerifyGetKey {
  let set = jwksByUrl.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(`${url}/auth/v1/.well-known/jwks.json`));
    jwksByUrl.set(url, set);
  }
  return set;
}

function fullNameOf(metadata: unknown): string {
  const name = (metadata as { full_name?: unknown } | null)?.full_name;
  return typeof name === "string" ? name : "";
}

function toResult(user: User, session: Session | null): AuthResult {
  return {
    user: { id: user.id, email: user.email ?? "", fullName: fullNameOf(user.user_metadata), createdAt: new Date(user.created_at) },
    tokens: session ? { accessToken: session.access_token, refreshToken: session.refresh_token, expiresIn: session.expires_in } : null,
  };
}

/** Supabase's own failures are reported without their upstream text. */
function upstream(error: AuthError): ApiError {
  if (error.status === 429) return new ApiError("rate_limited", "auth", "Too many attempts. Please wait and try again.", { headers: { "Retry-After": "60" } });
  return new ApiError("upstream", "auth", "The sign-in service did not answer as expected. Please try again.");
}

export const supabaseAdapter: AuthAdapter = {
  kind: "supabase",

  async signUp({ email, password, fullName }) {
    const { data, error } = await client().auth.signUp({ email, password, options: { data: { full_name: fullName ?? "" } } });
    if (error) {
      if (error.code === "user_already_exists" || error.code === "email_exists") throw new ApiError("conflict", "auth", "An account with this email already exists");
      if (error.code === "weak_password") throw new ApiError("validation", "auth", "The password is too weak", { errors: [{ path: "password", message: "The password is too weak" }] });
      throw upstream(error);
    }
    if (!data.user) throw new ApiError("upstream", "auth", "The sign-in service did not answer as expected. Please try again.");
    return toResult(data.user, data.session);
  },

  async signIn({ email, password }) {
    const { data, error } = await client().auth.signInWithPassword({ email, password });
    if (error) throw error.status === 400 || error.status === 401 || error.code === "invalid_credentials" ? invalidCredentials() : upstream(error);
    return toResult(data.user, data.session);
  },

  async refresh(refreshToken) {
    const { data, error } = await client().auth.refreshSession({ refresh_token: refreshToken });
    if (error || !data.user || !data.session) {
      if (error && error.status !== undefined && error.status >= 500) throw upstream(error);
      throw new ApiError("unauthorized", "auth", "Refresh token is invalid, expired or already used");
    }
    return toResult(data.user, data.session);
  },

  async signOut({ accessToken, refreshToken }) {
    let token = accessToken && (await this.verifyAccessToken(accessToken)) ? accessToken : undefined;
    if (!token && refreshToken) {
      const { data } = await client().auth.refreshSession({ refresh_token: refreshToken });
      token = data.session?.access_token;
    }
    // "local" ends this session only, like the built-in adapter's family revocation.
    if (token) await client().auth.admin.signOut(token, "local");
  },

  async requestPasswordReset(email) {
    const { error } = await client().auth.resetPasswordForEmail(email, { redirectTo: `${getConfig().appUrl}/reset-password` });
    if (error && error.status === 429) throw upstream(error);
  },

  async confirmPasswordReset(token, password) {
    const supabase = client();
    const { error } = await supabase.auth.verifyOtp({ token_hash: token, type: "recovery" });
    if (error) throw invalidResetToken();
    const updated = await supabase.auth.updateUser({ password });
    if (updated.error) throw upstream(updated.error);
  },

  async changePassword(user: AuthUser, currentPassword, newPassword) {
    const supabase = client();
    const { error } = await supabase.auth.signInWithPassword({ email: user.email, password: currentPassword });
    if (error) throw wrongCurrentPassword();
    const updated = await supabase.auth.updateUser({ password: newPassword });
    if (updated.error) throw upstream(updated.error);
  },

  async deleteAccount() {
    // Removing a Supabase user needs the service-role key, which this app never holds: the user's data is
    // gone and the session ends; the auth record stays for the project's admin to remove.
  },

  async verifyAccessToken(token) {
    const { supabase } = getConfig();
    if (!supabase) return null;
    try {
      const { payload } = await jwtVerify(token, jwks(supabase.url), { issuer: `${supabase.url}/auth/v1`, audience: "authenticated", algorithms: ["ES256", "RS256"] });
      if (typeof payload.sub !== "string" || typeof payload.email !== "string") return null;
      return { id: payload.sub, email: payload.email, fullName: fullNameOf(payload.user_metadata) };
    } catch {
      return null;
    }
  },
};
