import "server-only";
import { ApiError } from "./errors";
import { getConfig } from "@/lib/config/env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated state changes must come from our own pages. SameSite=Lax already keeps the cookie off
 * most cross-site requests; this closes the rest (same-site subdomains, old browsers) by checking Origin —
 * which browsers always send on cross-origin POST/PATCH/DELETE — against the app's own origin and the
 * configured CORS origins. Bearer-token calls are not ambient credentials and need no check.
 */
export function assertSameOriginForCookieAuth(request: Request): void {
  if (isCrossSiteRequest(request)) throw crossSiteRefused();
}

export const crossSiteRefused = () => new ApiError("forbidden", "csrf", "Cross-site request refused");

/** A state-changing request whose Origin (or Referer) is neither the app's own nor an allowed CORS origin. */
export function isCrossSiteRequest(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const origin = request.headers.get("origin") ?? originOfReferer(request.headers.get("referer"));
  // Non-browser clients (curl, scripts) send neither header; they cannot be driven cross-site by a page.
  if (!origin) return false;
  return !allowedOrigins(request).has(origin);
}

function allowedOrigins(request: Request): Set<string> {
  const config = getConfig();
  const allowed = new Set<string>([new URL(config.appUrl).origin, ...config.corsOrigins]);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (host) {
    const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
    allowed.add(`${proto}://${host}`);
  }
  allowed.add(new URL(request.url).origin);
  return allowed;
}

function originOfReferer(referer: string | null): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
