import { assertSameOriginForCookieAuth } from "@/lib/api/csrf";
import { ApiError } from "@/lib/api/errors";
import { noContent, readTextLimited, withApi } from "@/lib/api/http";
import { json, noStoreHeaders } from "@/lib/api/route";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { logoutRequestSchema } from "@/lib/auth/schemas";
import { bearerTokenOf } from "@/lib/auth/server";
import { logOut } from "@/lib/auth/service";

/**
 * Ends the caller's session server-side — the one its refresh token (body, else cookie) names and the one its
 * access token (bearer, else cookie) names — and clears the session cookies. 204 once the session is ended (or
 * was already); 401 when the only credential sent is an access token that names no session.
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
  const headers = noStoreHeaders();
  // The cookies go either way: after a 401 they would only fail again.
  await cookieSession.appendCookies(headers, null, request);
  try {
    await logOut({
      accessToken: bearerTokenOf(request) ?? fromCookies.accessToken,
      refreshToken: fromBody ?? fromCookies.refreshToken,
    });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    return json(error.toBody(), { status: 401, headers });
  }
  return noContent(headers);
});
