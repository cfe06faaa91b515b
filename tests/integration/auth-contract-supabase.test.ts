import { describe, expect, it } from "vitest";
import { SignJWT, generateKeyPair } from "jose";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { POST as resetPassword } from "@/app/api/v1/auth/reset-password/route";
import { POST as confirmReset } from "@/app/api/v1/auth/reset-password/confirm/route";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { withSupabaseStandin } from "../support/supabase-mode";
import { describeAuthContract, postJson, signUpForTest, unsignedToken } from "../support/auth-contract";

const standin = withSupabaseStandin();

describe("adapter selection", () => {
  it("uses Supabase when it is configured", () => {
    expect(getAuthAdapter().kind).toBe("supabase");
  });
});

describeAuthContract(
  "supabase",
  async (userId) => {
    const other = await generateKeyPair("ES256");
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: userId,
      email: "forged@example.test",
      aud: "authenticated",
      iss: `${standin().url}/auth/v1`,
      role: "authenticated",
    };
    return {
      "alg none": unsignedToken({ ...claims, exp: now + 600 }),
      "wrong key": await standin().signAccessToken(userId, { key: other.privateKey }),
      expired: await standin().signAccessToken(userId, { expiresIn: now - 60 }),
      "HS256 where ES256 is expected": await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode(standin().key)),
      "wrong audience": await standin().signAccessToken(userId, { audience: "anon" }),
      "wrong issuer": await standin().signAccessToken(userId, { issuer: "https://evil.example/auth/v1" }),
    };
  },
  { sessionCookie: "sb-" },
);

describe("password reset through Supabase", () => {
  it("requests a recovery email and sets the new password with its token, once", async () => {
    const { email } = await signUpForTest();
    const response = await postJson(resetPassword, "/api/v1/auth/reset-password", { email });
    expect(response.status).toBe(200);
    const tokenHash = standin().recoveries.get(email);
    expect(tokenHash).toBeDefined();
    expect(
      (await postJson(confirmReset, "/api/v1/auth/reset-password/confirm", { token: tokenHash, password: "brand new password" }))
        .status,
    ).toBe(200);
    expect((await postJson(login, "/api/v1/auth/login", { email, password: "brand new password" })).status).toBe(200);
    expect(
      (await postJson(confirmReset, "/api/v1/auth/reset-password/confirm", { token: tokenHash, password: "another password" }))
        .status,
    ).toBe(400);
  });
});
