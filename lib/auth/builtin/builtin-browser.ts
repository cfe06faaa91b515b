import "server-only";
import { cookies } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { ApiError } from "@/lib/api/errors";
import { readAccessToken } from "./access-token";
import { appendSessionCookies, readCookie, serializeCookie, sessionCookies } from "./cookies";
import { REFRESH_TOKEN_TTL_SECONDS } from "./refresh-tokens";
import { endEverySession } from "./sessions";
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  type AuthResult,
  type BrowserSessions,
  type SessionTokens,
  type TokenAuth,
} from "@/lib/auth/types";

/**
 * How long the browser's just-rotated refresh cookie still renews the session: the requests of one page load
 * that all arrive as the access cookie expires each carry the same refresh cookie.
 */
export const BROWSER_REFRESH_REUSE_INTERVAL_MS = 10_000;

/** Sets (or, with null, clears) the session cookies through Next's cookie store (server actions). */
async function writeSessionCookies(tokens: SessionTokens | null): Promise<void> {
  const store = await cookies();
  for (const { name, value, options } of sessionCookies(tokens)) store.set(name, value, options);
}

async function storing(result: Promise<AuthResult>): Promise<AuthResult> {
  const done = await result;
  if (done.tokens) await writeSessionCookies(done.tokens);
  return done;
}

/** Forwards the request with the renewed cookies (so this very render is signed in) and sets them in the browser. */
function continueWithTokens(request: NextRequest, tokens: SessionTokens): NextResponse {
  const renewed = sessionCookies(tokens);
  const headers = new Headers(request.headers);
  const jar = new Map(request.cookies.getAll().map((c) => [c.name, c.value]));
  for (const cookie of renewed) jar.set(cookie.name, cookie.value);
  headers.set("cookie", [...jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; "));
  const response = NextResponse.next({ request: { headers } });
  for (const cookie of renewed) response.headers.append("set-cookie", serializeCookie(cookie));
  return response;
}

/**
 * Built-in accounts in the browser: our own httpOnly cookies (`parley_access`, a 15-minute HS256 token, and
 * `parley_refresh`, a rotating opaque token), renewed by the proxy.
 */
export function builtinBrowserSessions(core: TokenAuth): BrowserSessions {
  return {
    signUp: (input) => storing(core.signUp(input)),
    signIn: (input) => storing(core.signIn(input)),

    async signOut(options) {
      const store = await cookies();
      const accessToken = store.get(ACCESS_COOKIE)?.value;
      // Cookies that name no session of ours (forged, from another secret) leave nothing to revoke: clear them.
      await core.signOut({ accessToken, refreshToken: store.get(REFRESH_COOKIE)?.value }).catch((error: unknown) => {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      });
      const claims =
        options?.everywhere && accessToken
          ? await readAccessToken(accessToken, { expiredForUpTo: REFRESH_TOKEN_TTL_SECONDS })
          : null;
      if (claims) await endEverySession(claims.user.id);
      await writeSessionCookies(null);
    },

    requestPasswordReset: (email) => core.requestPasswordReset(email),
    confirmPasswordReset: (token, password) => core.confirmPasswordReset(token, password),

    async currentUser() {
      const token = (await cookies()).get(ACCESS_COOKIE)?.value;
      return token ? core.verifyAccessToken(token) : null;
    },

    hasSessionCookie: (request) => readCookie(request.headers.get("cookie"), ACCESS_COOKIE) !== undefined,

    async requestUser(request) {
      // Read from the request itself: route handlers then work the same under test and in production.
      const token = readCookie(request.headers.get("cookie"), ACCESS_COOKIE);
      return token ? core.verifyAccessToken(token) : null;
    },

    async proxy(request) {
      const access = request.cookies.get(ACCESS_COOKIE)?.value;
      const verified = access ? await core.verifyAccessToken(access) : null;
      if (verified) return { user: verified, respond: (response) => response ?? NextResponse.next() };

      // An expired access cookie with a valid refresh cookie is renewed here, on the response and on the
      // request the page renders with.
      const refresh = request.cookies.get(REFRESH_COOKIE)?.value;
      const renewed = refresh
        ? await core.refresh(refresh, { reuseIntervalMs: BROWSER_REFRESH_REUSE_INTERVAL_MS }).catch(() => null)
        : null;
      if (renewed?.tokens) {
        const tokens = renewed.tokens;
        return { user: renewed.user, respond: (response) => response ?? continueWithTokens(request, tokens) };
      }
      return {
        user: null,
        respond(response = NextResponse.next()) {
          // Stale cookies would only make every later request try (and fail) again.
          if (access || refresh) appendSessionCookies(response.headers, null);
          return response;
        },
      };
    },

    api: {
      tokensOf: async (request) => {
        const header = request.headers.get("cookie");
        return { accessToken: readCookie(header, ACCESS_COOKIE), refreshToken: readCookie(header, REFRESH_COOKIE) };
      },
      appendCookies: async (headers, tokens) => appendSessionCookies(headers, tokens),
    },
  };
}
