import "server-only";
import { SignJWT, jwtVerify } from "jose";
import { getAuthSecret } from "@/lib/auth/secret";
import type { AuthUser } from "@/lib/auth/types";

/**
 * Built-in access tokens: short-lived HS256 JWTs. Only HS256 is accepted, whatever a token's header says.
 * Each names its session (`sid`) and the user's token version (`ver`), which sessions.ts checks per request.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "parley";
const AUDIENCE = "parley";

export interface AccessClaims {
  user: AuthUser;
  sessionId: string;
  tokenVersion: number;
}

export async function signAccessToken(user: AuthUser, session: { sessionId: string; tokenVersion: number }): Promise<string> {
  return new SignJWT({ email: user.email, name: user.fullName, sid: session.sessionId, ver: session.tokenVersion })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(getAuthSecret());
}

/**
 * The claims of a token we signed, or null. Signature and claims only: whether its session is still live is
 * sessions.ts's question. `expiredForUpTo` accepts a token that expired at most that many seconds ago (a
 * logout may name the session of an expired one).
 */
export async function readAccessToken(token: string, options: { expiredForUpTo?: number } = {}): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, getAuthSecret(), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTolerance: options.expiredForUpTo ?? 0,
    });
    const { sub, email, name, sid, ver } = payload;
    // A token without a session (signed before sessions existed) could never be revoked: it is not accepted.
    if (typeof sub !== "string" || typeof email !== "string" || typeof sid !== "string" || typeof ver !== "number") return null;
    return { user: { id: sub, email, fullName: typeof name === "string" ? name : "" }, sessionId: sid, tokenVersion: ver };
  } catch {
    return null;
  }
}
