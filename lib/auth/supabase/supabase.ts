import "server-only";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { ApiError, unauthorized } from "@/lib/api/errors";
import { markAccountDeleted } from "@/lib/auth/deleted-accounts";
import { wrongCurrentPassword } from "@/lib/auth/errors";
import {
  accountFlowsOn,
  supabaseTokenRules,
  toResult,
  updatePasswordAndEndSessions,
  upstream,
  userOfClaims,
} from "./supabase-auth";
import { supabaseBrowserSessions } from "./supabase-browser";
import { supabaseProject } from "./supabase-server-client";
import type { AuthAdapter, AuthUser, TokenAuth } from "@/lib/auth/types";

/**
 * Supabase Auth for the REST API: token-returning and stateless — a fresh supabase-js client per call that
 * stores nothing, so nothing of one user's session lingers for the next request. Bearer access tokens are
 * verified locally against the project's JWKS with issuer, audience, expiry and an algorithm allow-list (no
 * HS256, no `none`). Browsers use `@supabase/ssr` cookie sessions instead (supabase-browser.ts).
 */
function client(): SupabaseClient {
  const { url, key } = supabaseProject();
  return createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
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

async function verifyAccessToken(token: string): Promise<AuthUser | null> {
  const { url } = supabaseProject();
  try {
    const { payload } = await jwtVerify(token, jwks(url), supabaseTokenRules(url));
    return await userOfClaims(payload);
  } catch {
    return null;
  }
}

const tokens: TokenAuth = {
  ...accountFlowsOn(client),

  async refresh(refreshToken) {
    const { data, error } = await client().auth.refreshSession({ refresh_token: refreshToken });
    if (error || !data.user || !data.session) {
      if (error && error.status !== undefined && error.status >= 500) throw upstream(error);
      throw new ApiError("unauthorized", "auth", "Refresh token is invalid, expired or already used");
    }
    return toResult(data.user, data.session);
  },

  async signOut({ accessToken, refreshToken }) {
    let token = accessToken && (await verifyAccessToken(accessToken)) ? accessToken : undefined;
    if (!token && refreshToken) {
      const { data, error } = await client().auth.refreshSession({ refresh_token: refreshToken });
      if (error && !(error.status && error.status < 500)) throw upstream(error);
      // A refresh token Supabase refuses names a session that is already gone.
      token = data.session?.access_token;
    }
    if (!token) {
      // An access token that does not verify (forged, expired) cannot end its session at Supabase.
      if (accessToken !== undefined && refreshToken === undefined) throw unauthorized();
      return;
    }
    // "local" ends this session only, like the built-in adapter's session revocation. A 4xx means it is gone.
    const { error } = await client().auth.admin.signOut(token, "local");
    if (error && !(error.status && error.status < 500)) throw upstream(error);
  },

  async changePassword(user, currentPassword, newPassword) {
    const supabase = client();
    const { error } = await supabase.auth.signInWithPassword({ email: user.email, password: currentPassword });
    if (error) throw wrongCurrentPassword();
    await updatePasswordAndEndSessions(supabase, newPassword);
  },

  async deleteAccount(user) {
    // Removing a Supabase user needs the service-role key, which this app never holds: the user's data is
    // gone, the sessions end, and every token issued before now is refused; the auth record stays for the
    // project's admin to remove.
    await markAccountDeleted(user.id);
  },

  verifyAccessToken,
};

export const supabaseAdapter: AuthAdapter = { ...tokens, kind: "supabase", browser: supabaseBrowserSessions() };
