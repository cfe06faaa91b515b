import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { accountFlowsOn, supabaseTokenRules, userOfClaims } from "./supabase-auth";
import {
  appendSupabaseSessionClearing,
  appendSupabaseSessionCookies,
  supabaseSessionTokensOf,
  createSupabaseProxyClient,
  createSupabaseRequestClient,
  createSupabaseServerClient,
  hasSupabaseSessionCookie,
  supabaseProject,
} from "./supabase-server-client";
import type { AuthUser, BrowserSessions } from "@/lib/auth/types";

type SessionCheck = { user: AuthUser; invalid: false } | { user: null; invalid: boolean };

/**
 * `getClaims()` loads the session from the cookies, refreshes it through the client when it has expired
 * (writing the new cookies), and verifies the access token's signature and expiry against the project's JWKS.
 * It checks neither issuer nor audience, and falls back to a network check for symmetric keys: we require
 * what the REST API requires (ES256/RS256, our project's issuer, audience `authenticated`).
 * `invalid`: the cookies hold a token that will never pass (forged, foreign); network failures are not that.
 */
async function checkSession(supabase: SupabaseClient): Promise<SessionCheck> {
  const { data, error } = await supabase.auth.getClaims();
  if (error || !data) return { user: null, invalid: error?.name === "AuthInvalidJwtError" };
  const { claims, header } = data;
  const rules = supabaseTokenRules(supabaseProject().url);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const user =
    rules.algorithms.includes(header.alg) && claims.iss === rules.issuer && audiences.includes(rules.audience)
      ? await userOfClaims(claims)
      : null;
  return user ? { user, invalid: false } : { user: null, invalid: true };
}

/**
 * Supabase Auth in the browser, through `@supabase/ssr`: one server client per request, and the session in
 * Supabase's own cookies, which the library writes on sign-in/refresh and clears on sign-out. Nothing here
 * touches our `users` table: rows are keyed by the Supabase user id.
 */
export function supabaseBrowserSessions(): BrowserSessions {
  return {
    ...accountFlowsOn(createSupabaseServerClient),

    async signOut(options) {
      // "local" ends this browser's session at Supabase ("global": all of the user's); the library clears the
      // cookies even when that session is already gone (e.g. after a password change ended them all).
      await (await createSupabaseServerClient()).auth.signOut({ scope: options?.everywhere ? "global" : "local" });
    },

    currentUser: async () => (await checkSession(await createSupabaseServerClient())).user,
    hasSessionCookie: (request) => hasSupabaseSessionCookie(request.headers.get("cookie")),
    requestUser: async (request) => (await checkSession(createSupabaseRequestClient(request))).user,

    async proxy(request) {
      const { supabase, respond } = createSupabaseProxyClient(request);
      // Nothing may run between creating the client and getClaims(): it is what renews an expired session.
      const { user, invalid } = await checkSession(supabase);
      return { user, respond: (response) => respond(response, invalid) };
    },

    api: {
      tokensOf: (request) => supabaseSessionTokensOf(request.headers.get("cookie")),
      async appendCookies(headers, tokens, request) {
        if (!tokens) return appendSupabaseSessionClearing(headers, request.headers.get("cookie"));
        // The tokens were just issued, so this fails only if Supabase went away meanwhile: the answer still
        // carries them, and the browser simply has no cookie session.
        if (!(await appendSupabaseSessionCookies(headers, tokens)))
          console.warn("[parley] Supabase did not take a just-issued session; no cookie set");
      },
    },
  };
}
