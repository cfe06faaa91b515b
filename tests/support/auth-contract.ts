import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { POST as refresh } from "@/app/api/v1/auth/refresh/route";
import { POST as logout } from "@/app/api/v1/auth/logout/route";
import { GET as sessionCheck } from "@/app/api/v1/auth/session-check/route";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";

/**
 * The auth API contract, the same for every adapter: tests/integration/auth-contract-*.test.ts run it against
 * the built-in adapter and against Supabase (the loopback stand-in). `forge` returns bad access tokens for a
 * freshly signed-up user id: each must be refused with 401. `sessionCookie` names the adapter's session cookie
 * (ours, or Supabase's `sb-<ref>-auth-token` written by @supabase/ssr), which signup/login set and logout clears.
 */
const BASE = "http://127.0.0.1:3000";
export const PASSWORD = "correct horse battery";

export const postJson = (
  handler: (request: Request) => Promise<Response>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  handler(
    new Request(`${BASE}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );

export const checkSession = (headers: Record<string, string>) =>
  sessionCheck(new Request(`${BASE}/api/v1/auth/session-check`, { headers }));

export async function signUpForTest(fullName = "Grace Hopper") {
  const email = `contract-${randomUUID()}@example.test`;
  const response = await postJson(signup, "/api/v1/auth/signup", { email, password: PASSWORD, full_name: fullName });
  expect(response.status).toBe(201);
  const body = await response.json();
  return {
    email,
    id: body.user.id as string,
    accessToken: body.token.access_token as string,
    refreshToken: body.token.refresh_token as string,
    body,
  };
}

export function describeAuthContract(
  adapter: string,
  forge: (userId: string) => Promise<Record<string, string>>,
  { sessionCookie }: { sessionCookie: string },
) {
  describe(`auth API contract (${adapter})`, () => {
    beforeEach(() => resetRateLimitsForTests());

    it("signs up with user, tokens and cookies; the token passes session-check", async () => {
      const { email, id, accessToken, body } = await signUpForTest();
      expect(body.user).toMatchObject({ id, email, full_name: "Grace Hopper" });
      expect(new Date(body.user.created_at).toISOString()).toBe(body.user.created_at);
      expect(body.token).toMatchObject({ token_type: "bearer" });
      expect(body.token.expires_in).toBeGreaterThan(0);
      const check = await checkSession({ authorization: `Bearer ${accessToken}` });
      expect(check.status).toBe(200);
      expect(await check.json()).toEqual({ valid: true, user_id: id, email });
    });

    it("refuses a taken email with 409", async () => {
      const { email } = await signUpForTest();
      const again = await postJson(signup, "/api/v1/auth/signup", { email, password: PASSWORD });
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: "conflict:auth" });
    });

    it("logs in; a wrong password and an unknown email get the same 401", async () => {
      const { email, id } = await signUpForTest();
      const ok = await postJson(login, "/api/v1/auth/login", { email, password: PASSWORD });
      expect(ok.status).toBe(200);
      expect((await ok.json()).user.id).toBe(id);
      // The browser's session is set too, and is a working session: session-check accepts the cookie alone.
      const set = ok.headers.getSetCookie().filter((c) => c.startsWith(sessionCookie));
      expect(set.length).toBeGreaterThan(0);
      const cookie = set.map((c) => c.split(";")[0]).join("; ");
      const viaCookie = await checkSession({ cookie });
      expect(viaCookie.status).toBe(200);
      expect((await viaCookie.json()).user_id).toBe(id);
      const wrong = await postJson(login, "/api/v1/auth/login", { email, password: "not the password" });
      const unknown = await postJson(login, "/api/v1/auth/login", { email: `x-${email}`, password: PASSWORD });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.json()).toEqual(await unknown.json());
    });

    it("rotates refresh tokens; a reused one is refused and ends the session", async () => {
      const { refreshToken } = await signUpForTest();
      const first = await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken });
      expect(first.status).toBe(200);
      const rotated = await first.json();
      expect(rotated.refresh_token).not.toBe(refreshToken);
      expect((await checkSession({ authorization: `Bearer ${rotated.access_token}` })).status).toBe(200);
      expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);
      expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: rotated.refresh_token })).status).toBe(401);
    });

    it("logout revokes server-side and clears the cookies", async () => {
      const { accessToken, refreshToken } = await signUpForTest();
      const response = await postJson(
        logout,
        "/api/v1/auth/logout",
        { refresh_token: refreshToken },
        { authorization: `Bearer ${accessToken}` },
      );
      expect(response.status).toBe(204);
      const cleared = response.headers.getSetCookie().filter((c) => /Max-Age=0/.test(c));
      expect(cleared.length).toBeGreaterThan(0);
      expect(cleared.every((c) => c.startsWith(sessionCookie) || c.startsWith("parley_refresh="))).toBe(true);
      expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);
    });

    it("#12 logout with only the bearer token ends the session: its refresh token is refused", async () => {
      const { accessToken, refreshToken } = await signUpForTest();
      expect((await postJson(logout, "/api/v1/auth/logout", undefined, { authorization: `Bearer ${accessToken}` })).status).toBe(
        204,
      );
      expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);
    });

    it("#12 logout with a bearer token that names no session answers 401 and ends nothing", async () => {
      const { accessToken, refreshToken } = await signUpForTest();
      const forged = `${accessToken.slice(0, -4)}${accessToken.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
      const response = await postJson(logout, "/api/v1/auth/logout", undefined, { authorization: `Bearer ${forged}` });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
      expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(200);
    });

    it("the session cookie alone renews the browser's session, and logging out with it ends the session", async () => {
      const { email } = await signUpForTest();
      const signedIn = await postJson(login, "/api/v1/auth/login", { email, password: PASSWORD });
      const jar = (response: Response) =>
        response.headers
          .getSetCookie()
          .filter((c) => c.startsWith(sessionCookie) || c.startsWith("parley_refresh="))
          .map((c) => c.split(";")[0])
          .join("; ");
      const bare = (handler: (request: Request) => Promise<Response>, path: string, cookie: string) =>
        handler(new Request(`${BASE}${path}`, { method: "POST", headers: { cookie } }));
      const renewed = await bare(refresh, "/api/v1/auth/refresh", jar(signedIn));
      expect(renewed.status).toBe(200);
      const cookie = jar(renewed);
      expect(cookie).not.toBe("");
      expect((await checkSession({ cookie })).status).toBe(200);
      const out = await bare(logout, "/api/v1/auth/logout", cookie);
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie().some((c) => /Max-Age=0/.test(c))).toBe(true);
      // Revoked server-side: the cookie's refresh token renews nothing any more.
      expect((await bare(refresh, "/api/v1/auth/refresh", cookie)).status).toBe(401);
    });

    it("refuses forged access tokens with 401", async () => {
      const { id } = await signUpForTest();
      const forged = await forge(id);
      expect(Object.keys(forged).length).toBeGreaterThanOrEqual(4);
      for (const [name, token] of Object.entries(forged)) {
        const response = await checkSession({ authorization: `Bearer ${token}` });
        expect(response.status, name).toBe(401);
        expect(await response.json(), name).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
      }
    });
  });
}

/** An unsigned token (`alg: none`) carrying the given claims. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
}
