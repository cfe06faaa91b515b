import { SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { resetConfigForTests } from "@/lib/config/env";

const SECRET = "unit-test-secret-unit-test-secret-0123456789";
const user = { id: "9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", email: "ada@example.test", fullName: "Ada Lovelace" };
const session = { sessionId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", tokenVersion: 3 };

/* Imported inside the tests, not at the top: the token's lifetime, issuer and audience are module constants, and
 * a constant is only seen per test (so a mutation run checks it with these tests) when its module loads in one. */
const accessTokens = () => import("@/lib/auth/builtin/access-token");
const secretKey = async () => (await import("@/lib/auth/secret")).getAuthSecret();

beforeAll(() => {
  process.env.AUTH_SECRET = SECRET;
  resetConfigForTests();
});

describe("built-in access tokens", () => {
  it("are HS256 JWTs from and for parley that live 15 minutes", async () => {
    const { signAccessToken } = await accessTokens();
    const token = await signAccessToken(user, session);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: "parley", aud: "parley", sub: user.id, sid: session.sessionId, ver: 3 });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
  });

  it("read back as the user, the session and the token version they were signed with", async () => {
    const { readAccessToken, signAccessToken } = await accessTokens();
    expect(await readAccessToken(await signAccessToken(user, session))).toEqual({ user, ...session });
  });

  it("read a token without a name as a user with an empty name", async () => {
    const { readAccessToken } = await accessTokens();
    const token = await new SignJWT({ email: user.email, sid: session.sessionId, ver: 1 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer("parley")
      .setAudience("parley")
      .setExpirationTime("1m")
      .sign(await secretKey());
    expect(await readAccessToken(token)).toEqual({
      user: { ...user, fullName: "" },
      sessionId: session.sessionId,
      tokenVersion: 1,
    });
  });

  it("read an expired token only when the caller accepts one that expired at most that long ago", async () => {
    const { readAccessToken } = await accessTokens();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ email: user.email, name: user.fullName, sid: session.sessionId, ver: 1 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer("parley")
      .setAudience("parley")
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(await secretKey());
    expect(await readAccessToken(token)).toBeNull();
    expect(await readAccessToken(token, { expiredForUpTo: 1800 })).toBeNull();
    expect(await readAccessToken(token, { expiredForUpTo: 7200 })).toMatchObject({ sessionId: session.sessionId });
  });

  it("refuse a token with our key but another issuer or audience", async () => {
    const { readAccessToken } = await accessTokens();
    const signed = async (issuer: string, audience: string) =>
      new SignJWT({ email: user.email, sid: session.sessionId, ver: 1 })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(user.id)
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime("1m")
        .sign(await secretKey());
    expect(await readAccessToken(await signed("parley", "parley"))).not.toBeNull();
    expect(await readAccessToken(await signed("someone-else", "parley"))).toBeNull();
    expect(await readAccessToken(await signed("parley", "someone-else"))).toBeNull();
  });
});
