import "server-only";
import { getConfig } from "@/lib/config/env";

/**
 * Cross-origin access to the REST API (`/api/v1/*`), for browser clients on the origins listed in CORS_ORIGINS
 * (e.g. the original platform's frontend, which sends `withCredentials: true`). proxy.ts applies it to every
 * answer under /api/v1, the proxy's own (401, refusals, the preflight) and, through `NextResponse.next()`, the
 * route's (errors and SSE streams included). `isAllowedOrigin` is the one rule: the CSRF check (csrf.ts) accepts
 * a cookie-authenticated change from exactly the origins that get CORS headers here.
 *
 * Credentials are allowed, so the origin is echoed, never `*` (browsers refuse `*` with credentials; the config
 * refuses it at start). Cookies are SameSite=Lax: a cross-origin page on the same site (another port, a sibling
 * subdomain) can use them; a page on another site must send a bearer token.
 */

export const CORS_PATH_PREFIX = "/api/v1/";

const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
/**
 * What the API reads from requests beyond the CORS-safelisted headers (Last-Event-ID: SSE clients resuming;
 * Idempotency-Key: a retried chat send, IDEMPOTENCY_KEY_HEADER in lib/chats/schemas.ts, not imported: the proxy
 * bundles this file).
 */
const ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Idempotency-Key, Cache-Control, X-Requested-With";
/** What clients must be able to read: the next page's cursor, how long to back off, a created resource, timings. */
const EXPOSED_HEADERS = "X-Next-Cursor, Retry-After, Location, Server-Timing";
/** Seconds a browser may reuse a preflight's answer (Chromium caps it at 7200). */
export const PREFLIGHT_MAX_AGE_S = 600;

/**
 * The app's own origin (APP_URL, the Host the request came to, the request URL's) or one listed in CORS_ORIGINS.
 * Anything else, `null` included, is another origin's page.
 */
export function isAllowedOrigin(request: Request, origin: string): boolean {
  const config = getConfig();
  if (origin === new URL(config.appUrl).origin || config.corsOrigins.includes(origin)) return true;
  if (origin === new URL(request.url).origin) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!host) return false;
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return origin === `${proto}://${host}`;
}

export const isCorsPath = (pathname: string) => pathname.startsWith(CORS_PATH_PREFIX);

/** The headers every answer to `request` carries: `Vary: Origin` always (caches), the rest for allowed origins. */
export function corsHeadersFor(request: Request): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin || !isAllowedOrigin(request, origin)) return { Vary: "Origin" };
  return {
    Vary: "Origin",
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Expose-Headers": EXPOSED_HEADERS,
  };
}

/** An OPTIONS request a browser sends before a non-simple cross-origin call (it never carries credentials). */
export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" && request.headers.has("origin") && request.headers.has("access-control-request-method");
}

/** 204 without authentication; the permissions only for an allowed origin (others get none: the browser stops). */
export function preflightResponse(request: Request): Response {
  const headers = new Headers(corsHeadersFor(request));
  headers.delete("Access-Control-Expose-Headers");
  if (headers.has("Access-Control-Allow-Origin")) {
    headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
    headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    headers.set("Access-Control-Max-Age", String(PREFLIGHT_MAX_AGE_S));
  }
  headers.set("Cache-Control", "no-store");
  return new Response(null, { status: 204, headers });
}

/** Adds the CORS headers to an answer (`Vary` is appended to, not replaced). */
export function withCors<R extends Response>(request: Request, response: R): R {
  for (const [name, value] of Object.entries(corsHeadersFor(request))) {
    if (name === "Vary") response.headers.append("Vary", value);
    else response.headers.set(name, value);
  }
  return response;
}
