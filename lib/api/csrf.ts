import "server-only";
import { ApiError } from "./errors";
import { isAllowedOrigin } from "./cors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated state changes must come from our own pages. SameSite=Lax already keeps the cookie off
 * most cross-site requests; this closes the rest (same-site subdomains, old browsers) by checking Origin —
 * which browsers always send on cross-origin POST/PATCH/DELETE — against the app's own origin and the
 * configured CORS origins (cors.ts's `isAllowedOrigin`, the same rule that grants CORS headers). Bearer-token calls are not ambient credentials and need no check.
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
  return !isAllowedOrigin(request, origin);
}

function originOfReferer(referer: string | null): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
