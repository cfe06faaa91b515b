import { assertSameOriginForCookieAuth } from "@/lib/api/csrf";
import { ApiError } from "@/lib/api/errors";
import { noContent, readTextLimited, withApi } from "@/lib/api/http";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { logoutRequestSchema } from "@/lib/auth/schemas";
import { bearerTokenOf } from "@/lib/auth/server";
import { logOut } from "@/lib/auth/service";

/**
 * Revokes the caller's session server-side (refresh token from the body, else the session cookie's) and clears
 * the session cookies.
 */
export const POST = withApi(async (request: Request) => {
  const cookieSession = getAuthAdapter().browser.api;
  const fromCookies = await cookieSession.tokensOf(request);
  if (fromCookies.accessToken !== undefined || fromCookies.refreshToken !== undefined) assertSameOriginForCookieAuth(request);
  const text = await readTextLimited(request, "auth");
  let fromBody: string | undefined;
  if (text.trim()) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError("bad_request", "auth", "The request body is not valid JSON");
    }
    fromBody = logoutRequestSchema.safeParse(data).data?.refresh_token;
  }
  await logOut({
    accessToken: bearerTokenOf(request) ?? fromCookies.accessToken,
    refreshToken: fromBody ?? fromCookies.refreshToken,
  });
  const headers = new Headers({ "Cache-Control": "no-store" });
  await cookieSession.appendCookies(headers, null, request);
  return noContent(headers);
});
