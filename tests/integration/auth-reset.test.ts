import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { POST as refresh } from "@/app/api/v1/auth/refresh/route";
import { POST as resetPassword } from "@/app/api/v1/auth/reset-password/route";
import { POST as confirmReset } from "@/app/api/v1/auth/reset-password/confirm/route";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { changePassword } from "@/lib/auth/service";
import { getDb } from "@/lib/db/client";
import { passwordResetTokens, users } from "@/lib/db/schema";
import { drainWork } from "@/lib/server/shutdown";
import { PASSWORD, signUpForTest } from "../support/auth-contract";
import { projectApi } from "../support/projects-api";

const BASE = "http://127.0.0.1:3000";

const post = (handler: (request: Request) => Promise<Response>, path: string, body: unknown) =>
  handler(
    new Request(`${BASE}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

let logged: string[] = [];
beforeEach(() => {
  resetRateLimitsForTests();
  logged = [];
  vi.spyOn(console, "info").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
});
afterEach(() => vi.restoreAllMocks());

async function requestLink(email: string): Promise<string> {
  const before = logged.length;
  const response = await post(resetPassword, "/api/v1/auth/reset-password", { email });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ message: "If an account exists for this email, a reset link has been sent" });
  // The link is sent after the answer.
  expect(await drainWork(10_000)).toBe(true);
  const line = logged.slice(before).find((l) => l.includes(`password reset link for ${email}:`));
  expect(line).toBeDefined();
  const token = new URL(line!.split(": ").at(-1)!).searchParams.get("token");
  expect(token).toBeTruthy();
  return token!;
}

describe("password reset", () => {
  it("answers the same for an unknown email and logs no link", async () => {
    const response = await post(resetPassword, "/api/v1/auth/reset-password", { email: `nobody-${randomUUID()}@example.test` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: "If an account exists for this email, a reset link has been sent" });
    await drainWork(10_000);
    expect(logged.filter((l) => l.includes("password reset link"))).toHaveLength(0);
  });

  it("sets a new password once, stores only the hash, and ends existing sessions", async () => {
    const { email, id, refreshToken } = await signUpForTest();
    const token = await requestLink(email);
    const db = await getDb();
    const [stored] = await db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, id));
    expect(stored.tokenHash).not.toBe(token);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);

    const ok = await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token, password: "a brand new password" });
    expect(ok.status).toBe(200);
    expect((await post(login, "/api/v1/auth/login", { email, password: PASSWORD })).status).toBe(401);
    expect((await post(login, "/api/v1/auth/login", { email, password: "a brand new password" })).status).toBe(200);
    expect((await post(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);

    const again = await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token, password: "yet another password" });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: "bad_request:auth" });
    expect((await post(login, "/api/v1/auth/login", { email, password: "yet another password" })).status).toBe(401);
  });

  it("refuses an expired token and changes nothing", async () => {
    const { email, id } = await signUpForTest();
    const token = await requestLink(email);
    const db = await getDb();
    await db
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResetTokens.userId, id));
    const [before] = await db.select().from(users).where(eq(users.id, id));
    const response = await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token, password: "a brand new password" });
    expect(response.status).toBe(400);
    const [after] = await db.select().from(users).where(eq(users.id, id));
    expect(after.passwordHash).toBe(before.passwordHash);
  });

  it.each([
    ["unknown token", { token: "x".repeat(43), password: "a brand new password" }, 400],
    ["short password", { token: "x".repeat(43), password: "short" }, 422],
    ["missing token", { password: "a brand new password" }, 422],
    ["malformed email on request", null, 422],
  ])("refuses %s", async (_name, body, status) => {
    const response =
      body === null
        ? await post(resetPassword, "/api/v1/auth/reset-password", { email: "nope" })
        : await post(confirmReset, "/api/v1/auth/reset-password/confirm", body);
    expect(response.status).toBe(status);
  });

  it("a short password on confirm does not burn the token", async () => {
    const { email } = await signUpForTest();
    const token = await requestLink(email);
    expect((await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token, password: "short" })).status).toBe(422);
    expect((await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token, password: "long enough now" })).status).toBe(
      200,
    );
  });

  it("#12 using one reset link voids every other open link of the account", async () => {
    const { email } = await signUpForTest();
    const older = await requestLink(email);
    const newer = await requestLink(email);
    expect(
      (await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token: newer, password: "a brand new password" }))
        .status,
    ).toBe(200);
    expect(
      (await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token: older, password: "an attacker's password" }))
        .status,
    ).toBe(400);
    expect((await post(login, "/api/v1/auth/login", { email, password: "a brand new password" })).status).toBe(200);
  });

  it("#12 a password change voids the account's open reset links", async () => {
    const { email, id } = await signUpForTest();
    const token = await requestLink(email);
    await changePassword({ id, email, fullName: "" }, PASSWORD, "a brand new password");
    expect(
      (await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token, password: "an attacker's password" })).status,
    ).toBe(400);
    expect((await post(login, "/api/v1/auth/login", { email, password: "a brand new password" })).status).toBe(200);
  });

  it("#12 a password reset ends the access tokens of every session at once", async () => {
    const { email, accessToken } = await signUpForTest();
    const listStatus = async () => (await projectApi.list({ headers: { authorization: `Bearer ${accessToken}` } })).status;
    expect(await listStatus()).toBe(200);
    const token = await requestLink(email);
    expect(
      (await post(confirmReset, "/api/v1/auth/reset-password/confirm", { token, password: "a brand new password" })).status,
    ).toBe(200);
    expect(await listStatus()).toBe(401);
  });
});
