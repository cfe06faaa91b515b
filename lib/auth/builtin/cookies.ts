import "server-only";
import { getConfig } from "@/lib/config/env";
import { ACCESS_TOKEN_TTL_SECONDS } from "./access-token";
import { REFRESH_TOKEN_TTL_SECONDS } from "./refresh-tokens";
import { ACCESS_COOKIE, REFRESH_COOKIE, type SessionTokens } from "@/lib/auth/types";

export interface CookieSpec {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; secure: boolean; path: "/"; maxAge: number };
}

const options = (maxAge: number) => ({
  httpOnly: true as const,
  sameSite: "lax" as const,
  secure: getConfig().isProduction,
  path: "/" as const,
  maxAge,
});

/** The session cookies for a set of tokens (or, with null, the cookies that clear the session). */
export function sessionCookies(tokens: SessionTokens | null): CookieSpec[] {
  if (!tokens) return [ACCESS_COOKIE, REFRESH_COOKIE].map((name) => ({ name, value: "", options: options(0) }));
  return [
    { name: ACCESS_COOKIE, value: tokens.accessToken, options: options(ACCESS_TOKEN_TTL_SECONDS) },
    { name: REFRESH_COOKIE, value: tokens.refreshToken, options: options(REFRESH_TOKEN_TTL_SECONDS) },
  ];
}

export function serializeCookie({ name, value, options: o }: CookieSpec): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path}`,
    `Max-Age=${o.maxAge}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(o.secure ? ["Secure"] : []),
  ].join("; ");
}

/** Adds Set-Cookie headers for the session (or its removal) to a response's headers. */
export function appendSessionCookies(headers: Headers, tokens: SessionTokens | null): void {
  for (const cookie of sessionCookies(tokens)) headers.append("set-cookie", serializeCookie(cookie));
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const pair of header?.split(";") ?? []) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(value.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
