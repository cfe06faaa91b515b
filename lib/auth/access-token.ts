import "server-only";
import { SignJWT, jwtVerify } from "jose";
import { getAuthSecret } from "./secret";
import type { AuthUser } from "./types";

/** Built-in access tokens: short-lived HS256 JWTs. Only HS256 is accepted, whatever a token's header says. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "parley";
const AUDIENCE = "parley";

export async function signAccessToken(user: AuthUser): Promise<string> {
  return new SignJWT({ email: user.email, name: user.fullName })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(getAuthSecret());
}

export async function verifyAccessToken(token: string): Promise<AuthUser | null> {
  try {
    const { payload } = await jwtVerify(token, getAuthSecret(), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
    if (typeof payload.sub !== "string" || typeof payload.email !== "string") return null;
    return { id: payload.sub, email: payload.email, fullName: typeof payload.name === "string" ? payload.name : "" };
  } catch {
    return null;
  }
}
