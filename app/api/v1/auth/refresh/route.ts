import { readJson, withApi } from "@/lib/api/http";
import { appendSessionCookies, readCookie } from "@/lib/auth/cookies";
import { tokenBody } from "@/lib/auth/response";
import { refreshRequestSchema } from "@/lib/auth/schemas";
import { refreshSession } from "@/lib/auth/service";
import { REFRESH_COOKIE } from "@/lib/auth/types";
import { assertSameOriginForCookieAuth } from "@/lib/api/csrf";

/** API clients send `refresh_token` in the body; the browser, which cannot read its httpOnly cookie, sends none. */
export const POST = withApi(async (request: Request) => {
  const fromCookie = readCookie(request.headers.get("cookie"), REFRESH_COOKIE);
  const hasBody = request.headers.get("content-type") !== null || Number(request.headers.get("content-length") ?? "0") > 0;
  let refreshToken: string;
  if (hasBody || !fromCookie) {
    refreshToken = (await readJson(request, refreshRequestSchema, "auth")).refresh_token;
  } else {
    assertSameOriginForCookieAuth(request);
    refreshToken = fromCookie;
  }
  const result = await refreshSession(refreshToken);
  const headers = new Headers({ "Cache-Control": "no-store" });
  appendSessionCookies(headers, result.tokens);
  return Response.json(tokenBody(result.tokens), { headers });
});
