import "server-only";
import { redirect } from "next/navigation";
import { unauthorized } from "@/lib/api/errors";
import { assertSameOriginForCookieAuth } from "@/lib/api/csrf";
import { getAuthAdapter } from "./adapter";
import type { AuthUser } from "./types";

/**
 * Who is asking. Pages, server actions and the UI's routes use the browser's session cookies; the REST API also
 * takes `Authorization: Bearer`. Proxy is only the first gate: every handler calls one of these again.
 */
export async function getCurrentUser(): Promise<AuthUser | null> {
  return getAuthAdapter().browser.currentUser();
}

/** For pages and server actions: the user, or a redirect to the login page. */
export async function requireUser(nextPath?: string): Promise<AuthUser> {
  const user = await getCurrentUser();
  if (!user) redirect(nextPath ? `/login?next=${encodeURIComponent(nextPath)}` : "/login");
  return user;
}

export async function getRequestUser(request: Request): Promise<AuthUser | null> {
  const adapter = getAuthAdapter();
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    // Built-in HS256 tokens or Supabase's JWKS-signed ones, whichever adapter is configured.
    return match?.[1] ? adapter.verifyAccessToken(match[1]) : null;
  }
  if (!adapter.browser.hasSessionCookie(request)) return null;
  assertSameOriginForCookieAuth(request);
  return adapter.browser.requestUser(request);
}

/** The raw bearer token of a request, if it sent one. */
export function bearerTokenOf(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  return match?.[1];
}

/** For route handlers: the user, or a 401 `{"detail": "Not authenticated"}`. */
export async function requireRequestUser(request: Request): Promise<AuthUser> {
  const user = await getRequestUser(request);
  if (!user) throw unauthorized();
  return user;
}
