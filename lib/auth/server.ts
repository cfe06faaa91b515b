import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { unauthorized } from "@/lib/api/errors";
import { assertSameOriginForCookieAuth } from "@/lib/api/csrf";
import { getAuthAdapter } from "./adapter";
import { readCookie } from "./cookies";
import { ACCESS_COOKIE, type AuthUser } from "./types";

/**
 * Who is asking. Pages, server actions and the UI's routes use the session cookie; the REST API also takes
 * `Authorization: Bearer`. Proxy is only the first gate: every handler calls one of these again.
 */
export async function getCurrentUser(): Promise<AuthUser | null> {
  const token = (await cookies()).get(ACCESS_COOKIE)?.value;
  return token ? verifyAccessToken(token) : null;
}

/** For pages and server actions: the user, or a redirect to the login page. */
export async function requireUser(nextPath?: string): Promise<AuthUser> {
  const user = await getCurrentUser();
  if (!user) redirect(nextPath ? `/login?next=${encodeURIComponent(nextPath)}` : "/login");
  return user;
}

export async function getRequestUser(request: Request): Promise<AuthUser | null> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match ? verifyAccessToken(match[1]) : null;
  }
  // Read the cookie from the request itself: route handlers then work the same under test and in production.
  const token = readCookie(request.headers.get("cookie"), ACCESS_COOKIE);
  if (!token) return null;
  assertSameOriginForCookieAuth(request);
  return verifyAccessToken(token);
}

/** Verifies with whichever adapter is configured (built-in HS256 tokens or Supabase's JWKS-signed ones). */
function verifyAccessToken(token: string): Promise<AuthUser | null> {
  return getAuthAdapter().verifyAccessToken(token);
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
