import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { and, eq, isNull, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { POST as logout } from "@/app/api/v1/auth/logout/route";
import { POST as refresh } from "@/app/api/v1/auth/refresh/route";
import { changePasswordAction, deleteAccountAction } from "@/lib/auth/account-actions";
import { proxy } from "@/proxy";
import { hashOpaqueToken } from "@/lib/auth/builtin/opaque-token";
import { changePassword } from "@/lib/auth/service";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { getDb } from "@/lib/db/client";
import { refreshTokens, users } from "@/lib/db/schema";
import { PASSWORD, postJson, signUpForTest } from "../support/auth-contract";
import { authCookieJar } from "../support/auth-next-headers";
import { projectApi } from "../support/projects-api";
import { form, redirectsTo } from "../support/server-actions";

vi.mock("next/headers", () => import("../support/auth-next-headers"));

/** A gate on the real password check: `pauseNextPasswordCheck` holds the next check's answer until released. */
const gate = vi.hoisted(() => ({ next: undefined as undefined | { checked: () => void; held: Promise<void> } }));
vi.mock("@/lib/auth/builtin/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/builtin/password")>();
  return {
    ...real,
    verifyPassword: async (password: string, hash: string) => {
      const ok = await real.verifyPassword(password, hash);
      const paused = gate.next;
      gate.next = undefined;
      if (paused) {
        paused.checked();
        await paused.held;
      }
      return ok;
    },
  };
});

function pauseNextPasswordCheck(): { checked: Promise<void>; release: () => void } {
  let release!: () => void;
  let checked!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const done = new Promise<void>((resolve) => (checked = resolve));
  gate.next = { checked, held };
  return { checked: done, release };
}

/**
 * #12: an access token ends with its session. Each revocation cause below is followed by a call to an API route
 * with the access token issued before it: 401 at once (the revocation happened in this process), although the
 * token has not expired and the route had just accepted it (so a cached "live" answer existed).
 */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const listStatus = async (token: string) => (await projectApi.list({ headers: bearer(token) })).status;
const NEW_PASSWORD = "a brand new password";

beforeEach(() => resetRateLimitsForTests());
afterEach(() => {
  authCookieJar.clear();
  vi.useRealTimers();
});

async function loginAgain(email: string): Promise<string> {
  const response = await postJson(login, "/api/v1/auth/login", { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return (await response.json()).token.access_token;
}

describe("#12 access tokens are refused once their session ends", () => {
  it("#12 logout with only the bearer token ends that token at once", async () => {
    const { accessToken } = await signUpForTest();
    expect(await listStatus(accessToken)).toBe(200);
    expect((await postJson(logout, "/api/v1/auth/logout", undefined, bearer(accessToken))).status).toBe(204);
    expect(await listStatus(accessToken)).toBe(401);
    // The session is already gone: logging out again is still a 204.
    expect((await postJson(logout, "/api/v1/auth/logout", undefined, bearer(accessToken))).status).toBe(204);
  });

  it("#12 a password change ends the access tokens of every session of the account", async () => {
    const { email, accessToken } = await signUpForTest();
    const elsewhere = await loginAgain(email);
    expect(await listStatus(accessToken)).toBe(200);
    expect(await listStatus(elsewhere)).toBe(200);
    authCookieJar.set("parley_access", accessToken);
    await expect(
      changePasswordAction({}, form({ current_password: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD })),
    ).rejects.toEqual(redirectsTo("/login?reset=1"));
    expect(await listStatus(accessToken)).toBe(401);
    expect(await listStatus(elsewhere)).toBe(401);
  });

  it("#12 a login checked against the old password while it was being changed gets no session", async () => {
    const { id, email } = await signUpForTest();
    const paused = pauseNextPasswordCheck();
    const racing = postJson(login, "/api/v1/auth/login", { email, password: PASSWORD });
    // The old password passed the check; the login has not made its session yet.
    await paused.checked;
    await changePassword({ id, email, fullName: "" }, PASSWORD, NEW_PASSWORD);
    paused.release();
    const response = await racing;
    expect(response.status).toBe(401);
  });

  it("#12 a replayed refresh token ends the access tokens of its session", async () => {
    const { accessToken, refreshToken } = await signUpForTest();
    const rotated = await (await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).json();
    expect(await listStatus(rotated.access_token)).toBe(200);
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);
    expect(await listStatus(rotated.access_token)).toBe(401);
    expect(await listStatus(accessToken)).toBe(401);
  });

  it("#12 a deleted account's access token can neither read nor write", async () => {
    const { email, accessToken } = await signUpForTest();
    expect(await listStatus(accessToken)).toBe(200);
    authCookieJar.set("parley_access", accessToken);
    await expect(deleteAccountAction({}, form({ confirm_email: email }))).rejects.toEqual(redirectsTo("/login"));
    expect(await listStatus(accessToken)).toBe(401);
    const write = await projectApi.create({ headers: bearer(accessToken), body: { project_name: "After deletion" } });
    expect(write.status).toBe(401);
  });

  it("#12 a session ended by another instance is refused here within 5 seconds", async () => {
    const { id, accessToken } = await signUpForTest();
    expect(await listStatus(accessToken)).toBe(200);
    // Another instance deletes the account: nothing in this process hears of it.
    const db = await getDb();
    await db.delete(users).where(eq(users.id, id));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 5_001);
    expect(await listStatus(accessToken)).toBe(401);
  });

  it("#12 an access token of an outdated token version is refused (a password changed by another instance)", async () => {
    const { id, accessToken } = await signUpForTest();
    expect(await listStatus(accessToken)).toBe(200);
    const db = await getDb();
    await db
      .update(users)
      .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, id));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 5_001);
    expect(await listStatus(accessToken)).toBe(401);
  });
});

describe("#12 refresh replays inside the browser's grace window", () => {
  it("#12 five replays in the window get the token already issued: one live successor, not six", async () => {
    const { refreshToken } = await signUpForTest();
    const renew = async () => {
      const response = await proxy(
        new NextRequest("http://127.0.0.1:3000/projects", { headers: { cookie: `parley_refresh=${refreshToken}` } }),
      );
      expect(response.headers.get("x-middleware-next")).toBe("1");
      return /parley_refresh=([^;]+)/.exec(response.headers.getSetCookie().join("\n"))?.[1];
    };
    const first = await renew();
    expect(first).toBeTruthy();
    const replays = [];
    for (let i = 0; i < 5; i++) replays.push(await renew());

    const db = await getDb();
    const [original] = await db
      .select({ familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(refreshToken)));
    const live = await db
      .select({ id: refreshTokens.id })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.familyId, original.familyId), isNull(refreshTokens.rotatedAt)));
    expect(live).toHaveLength(1);
    expect(new Set(replays)).toEqual(new Set([first]));
    // The one successor works (REST refresh is strict: it would revoke the session if it had been used already).
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: decodeURIComponent(first!) })).status).toBe(200);
  });
});
