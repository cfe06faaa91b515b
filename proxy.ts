import { NextResponse, type NextRequest } from "next/server";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { serializeCookie, sessionCookies } from "@/lib/auth/cookies";
import { loginUrlFor } from "@/lib/auth/next-path";
import { BROWSER_REFRESH_REUSE_INTERVAL_MS, refreshSession } from "@/lib/auth/service";
import { ACCESS_COOKIE, REFRESH_COOKIE, type SessionTokens } from "@/lib/auth/types";

/**
 * The first gate (every route handler and server action checks the user again): anonymous visitors of app
 * pages go to /login?next=…, anonymous API calls get 401 JSON. An expired access cookie with a valid refresh
 * cookie is renewed here, on the response and on the request the page renders with.
 */
const PUBLIC_PAGES = new Set(["/login", "/register", "/forgot-password", "/reset-password", "/health"]);
const PUBLIC_API = new Set([
  "/api/v1/auth/signup",
  "/api/v1/auth/login",
  "/api/v1/auth/refresh",
  "/api/v1/auth/logout",
  "/api/v1/auth/reset-password",
  "/api/v1/auth/reset-password/confirm",
  "/api/v1/openapi.json",
]);

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const path = request.nextUrl.pathname.replace(/(.)\/+$/, "$1");
  if (PUBLIC_PAGES.has(path) || PUBLIC_API.has(path)) return NextResponse.next();
  const isApi = path === "/api" || path.startsWith("/api/");
  // API clients with a bearer token are judged by the route handler (valid, expired, forged: its answer).
  if (isApi && request.headers.has("authorization")) return NextResponse.next();

  const access = request.cookies.get(ACCESS_COOKIE)?.value;
  if (access && (await getAuthAdapter().verifyAccessToken(access))) return NextResponse.next();

  const refresh = request.cookies.get(REFRESH_COOKIE)?.value;
  if (refresh) {
    const tokens = await refreshSession(refresh, { reuseIntervalMs: BROWSER_REFRESH_REUSE_INTERVAL_MS }).then((result) => result.tokens, () => null);
    if (tokens) return continueWithTokens(request, tokens);
  }

  const denied = isApi
    ? NextResponse.json({ detail: "Not authenticated", code: "unauthorized:auth" }, { status: 401, headers: { "Cache-Control": "no-store" } })
    : NextResponse.redirect(new URL(loginUrlFor(`${request.nextUrl.pathname}${request.nextUrl.search}`), request.url));
  // Stale cookies would only make every later request try (and fail) again.
  if (access || refresh) for (const cookie of sessionCookies(null)) denied.headers.append("set-cookie", serializeCookie(cookie));
  return denied;
}

/** Forwards the request with the renewed cookies (so this very render is signed in) and sets them in the browser. */
function continueWithTokens(request: NextRequest, tokens: SessionTokens): NextResponse {
  const cookies = sessionCookies(tokens);
  const headers = new Headers(request.headers);
  const jar = new Map(request.cookies.getAll().map((c) => [c.name, c.value]));
  for (const cookie of cookies) jar.set(cookie.name, cookie.value);
  headers.set("cookie", [...jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; "));
  const response = NextResponse.next({ request: { headers } });
  for (const cookie of cookies) response.headers.append("set-cookie", serializeCookie(cookie));
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt|woff2?)$).*)"],
};
