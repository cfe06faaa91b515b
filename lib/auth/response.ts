import "server-only";
import { getAuthAdapter } from "./adapter";
import type { AuthResult, SessionTokens } from "./types";

/** The contract's token object; empty strings when the backend wants the email confirmed first. */
export function tokenBody(tokens: SessionTokens | null) {
  return {
    access_token: tokens?.accessToken ?? "",
    refresh_token: tokens?.refreshToken ?? "",
    token_type: "bearer" as const,
    expires_in: tokens?.expiresIn ?? 0,
  };
}

/** signup/login answer: `{user, token}`, with the browser's session cookie set too (as the spec says). */
export async function authResultResponse(request: Request, result: AuthResult, status: number): Promise<Response> {
  const headers = new Headers({ "Cache-Control": "no-store" });
  await getAuthAdapter().browser.api.appendCookies(headers, result.tokens, request);
  const { user } = result;
  return Response.json(
    {
      user: { id: user.id, email: user.email, full_name: user.fullName, created_at: user.createdAt.toISOString() },
      token: tokenBody(result.tokens),
      ...(result.tokens ? {} : { detail: "Check your email to confirm your account, then log in" }),
    },
    { status, headers },
  );
}
