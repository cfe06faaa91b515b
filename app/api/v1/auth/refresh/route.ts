import { assertSameOriginForCookieAuth } from "@/lib/api/csrf";
import { readJson, withApi } from "@/lib/api/http";
import { json, noStoreHeaders } from "@/lib/api/route";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { tokenBody } from "@/lib/auth/response";
import { refreshRequestSchema } from "@/lib/auth/schemas";
import { refreshSession } from "@/lib/auth/service";

/**
 * API clients send `refresh_token` in the body. A browser, which cannot read its httpOnly cookie, may send none
 * and is renewed from the session cookie.
 */
export const POST = withApi(async (request: Request) => {
  const cookieSession = getAuthAdapter().browser.api;
  const fromCookie = (await cookieSession.tokensOf(request)).refreshToken;
  const hasBody = request.headers.get("content-type") !== null || Number(request.headers.get("content-length") ?? "0") > 0;
  let refreshToken: string;
  if (hasBody || !fromCookie) {
    refreshToken = (await readJson(request, refreshRequestSchema, "auth")).refresh_token;
  } else {
    assertSameOriginForCookieAuth(request);
    refreshToken = fromCookie;
  }
  const result = await refreshSession(refreshToken);
  const headers = noStoreHeaders();
  await cookieSession.appendCookies(headers, result.tokens, request);
  return json(tokenBody(result.tokens), { headers });
});
