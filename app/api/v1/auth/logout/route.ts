import { assertSameOriginForCookieAuth } from "@/lib/api/csrf";
import { ApiError } from "@/lib/api/errors";
import { noContent, readTextLimited, withApi } from "@/lib/api/http";
import { appendSessionCookies, readCookie } from "@/lib/auth/cookies";
import { logoutRequestSchema } from "@/lib/auth/schemas";
import { bearerTokenOf } from "@/lib/auth/server";
import { logOut } from "@/lib/auth/service";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "@/lib/auth/types";

/** Revokes the caller's session server-side (refresh token from the body or the cookie) and clears the cookies. */
export const POST = withApi(async (request: Request) => {
  const cookieHeader = request.headers.get("cookie");
  if (cookieHeader?.includes(ACCESS_COOKIE) || cookieHeader?.includes(REFRESH_COOKIE)) assertSameOriginForCookieAuth(request);
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
    accessToken: bearerTokenOf(request) ?? readCookie(cookieHeader, ACCESS_COOKIE),
    refreshToken: fromBody ?? readCookie(cookieHeader, REFRESH_COOKIE),
  });
  const headers = new Headers({ "Cache-Control": "no-store" });
  appendSessionCookies(headers, null);
  return noContent(headers);
});
