import { NextResponse, type NextRequest } from "next/server";
import { isCorsPath, isPreflight, preflightResponse, withCors } from "@/lib/api/cors";
import { crossSiteRefused, isCrossSiteRequest } from "@/lib/api/csrf";
import { refusalOf, refusalResponse } from "@/lib/api/refusals";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { loginUrlFor } from "@/lib/auth/next-path";

/**
 * The first gate (every route handler and server action checks the user again): anonymous visitors of app
 * pages go to /login?next=…, except `/` itself, which sends them to the landing page (/welcome: what Parley is, Log
 * in / Sign up); anonymous API calls get 401 JSON. The adapter reads the browser's session and
 * renews an expired one here (built-in: from the refresh cookie; Supabase: `getClaims()` on the request's
 * `@supabase/ssr` client); whatever cookies it sets or clears go on every answer, the redirects included, and
 * on the request the page renders with. Under /api/v1 every answer carries the CORS headers (lib/api/cors.ts),
 * and a browser's preflight is answered before authentication: it never carries credentials.
 */
const PUBLIC_PAGES = new Set(["/welcome", "/login", "/register", "/forgot-password", "/reset-password", "/health"]);
const PUBLIC_API = new Set([
  "/api/v1/auth/signup",
  "/api/v1/auth/login",
  "/api/v1/auth/refresh",
  "/api/v1/auth/logout",
  "/api/v1/auth/reset-password",
  "/api/v1/auth/reset-password/confirm",
  "/api/v1/openapi.json",
]);

export async function proxy(request: NextRequest): Promise<Response> {
  if (!isCorsPath(request.nextUrl.pathname)) return gate(request);
  if (isPreflight(request) && !refusalOf(request.method, request.nextUrl.pathname)) return preflightResponse(request);
  return withCors(request, await gate(request));
}

async function gate(request: NextRequest): Promise<Response> {
  // Before anything else, whoever asks: what Next itself would answer with a bare 500 (an undecodable path, an
  // odd method, a server action posted from another origin) is answered here in the API's error shape.
  const refusal =
    refusalOf(request.method, request.nextUrl.pathname) ??
    (request.headers.has("next-action") && isCrossSiteRequest(request) ? crossSiteRefused() : undefined);
  if (refusal) return refusalResponse(refusal);
  const path = request.nextUrl.pathname.replace(/(.)\/+$/, "$1");
  if (PUBLIC_PAGES.has(path) || PUBLIC_API.has(path)) return NextResponse.next();
  const isApi = path === "/api" || path.startsWith("/api/");
  // API clients with a bearer token are judged by the route handler (valid, expired, forged: its answer).
  if (isApi && request.headers.has("authorization")) return NextResponse.next();

  const session = await getAuthAdapter().browser.proxy(request);
  if (session.user) return session.respond();
  return session.respond(
    isApi
      ? NextResponse.json(
          { detail: "Not authenticated", code: "unauthorized:auth" },
          { status: 401, headers: { "Cache-Control": "no-store" } },
        )
      : NextResponse.redirect(
          new URL(
            path === "/" && !request.nextUrl.search
              ? "/welcome"
              : loginUrlFor(`${request.nextUrl.pathname}${request.nextUrl.search}`),
            request.url,
          ),
        ),
  );
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt|woff2?)$).*)"],
};
