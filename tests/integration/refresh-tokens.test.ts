import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { hashOpaqueToken } from "@/lib/auth/builtin/opaque-token";
import { getDb } from "@/lib/db/client";
import { authSessions, refreshTokens, users } from "@/lib/db/schema";

/* The module is imported inside the tests, not at the top: its lifetime is a module constant, and a constant is
 * only seen per test (so a mutation run checks it with these tests) when its module loads in one. */
const refreshTokensModule = () => import("@/lib/auth/builtin/refresh-tokens");

const DAY_MS = 24 * 60 * 60 * 1000;
const GRACE_MS = 60_000;

/** A user with a fresh login: its session and first refresh token. */
async function login() {
  const db = await getDb();
  const [user] = await db
    .insert(users)
    .values({ email: `user-${randomUUID()}@example.test`, passwordHash: "not-a-real-hash", fullName: "Refresh Tester" })
    .returning();
  const { startSession } = await refreshTokensModule();
  const session = await startSession(user.id, user.tokenVersion);
  if (!session) throw new Error("a brand-new user has no other token version");
  return { userId: user.id, ...session };
}

async function rowOf(token: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashOpaqueToken(token)));
  if (!row) throw new Error("no such refresh token");
  return row;
}

async function isRevoked(sessionId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ revokedAt: authSessions.revokedAt }).from(authSessions).where(eq(authSessions.id, sessionId));
  return row?.revokedAt != null;
}

/** Rotates `token` `times` times in a row (each time the live one); the tokens, oldest first. */
async function rotateTimes(token: string, times: number): Promise<string[]> {
  const { rotateRefreshToken } = await refreshTokensModule();
  const chain = [token];
  for (let i = 0; i < times; i++) {
    const rotated = await rotateRefreshToken(chain[chain.length - 1]);
    if (!rotated.ok) throw new Error(`rotation ${i + 1} was refused`);
    chain.push(rotated.token);
  }
  return chain;
}

/** Only Date is faked: the database driver's timers keep running. */
function clockAt(at: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
}

afterEach(() => {
  vi.useRealTimers();
});

describe(`refresh tokens (${inject("testDatabase").kind})`, () => {
  it("live 30 days from the login, and each replacement 30 days from its rotation", async () => {
    const before = Date.now();
    const { refreshToken } = await login();
    const after = Date.now();
    const first = await rowOf(refreshToken);
    expect(first.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(first.expiresAt.getTime()).toBeLessThanOrEqual(after + 30 * DAY_MS);

    const rotatedAt = Date.now() + 5 * DAY_MS;
    clockAt(rotatedAt);
    const [, next] = await rotateTimes(refreshToken, 1);
    expect((await rowOf(next)).expiresAt.getTime()).toBe(rotatedAt + 30 * DAY_MS);
  });

  it("are refused from the instant they expire", async () => {
    const { rotateRefreshToken } = await refreshTokensModule();
    const { refreshToken } = await login();
    const { expiresAt } = await rowOf(refreshToken);
    clockAt(expiresAt.getTime());
    expect(await rotateRefreshToken(refreshToken)).toEqual({ ok: false });
    clockAt(expiresAt.getTime() - 1);
    expect((await rotateRefreshToken(refreshToken)).ok).toBe(true);
  });

  it("strict (no grace window): a rotated token presented again is a replay and revokes the session", async () => {
    const { rotateRefreshToken } = await refreshTokensModule();
    const { refreshToken, sessionId } = await login();
    const [, next] = await rotateTimes(refreshToken, 1);
    expect(await rotateRefreshToken(refreshToken)).toEqual({ ok: false });
    expect(await isRevoked(sessionId)).toBe(true);
    expect(await rotateRefreshToken(next)).toEqual({ ok: false });
  });

  it("strict stays strict when this server's clock is behind the one that rotated the token", async () => {
    const { rotateRefreshToken } = await refreshTokensModule();
    const { refreshToken, sessionId } = await login();
    await rotateTimes(refreshToken, 1);
    const { rotatedAt } = await rowOf(refreshToken);
    clockAt(rotatedAt!.getTime() - 5_000);
    expect(await rotateRefreshToken(refreshToken)).toEqual({ ok: false });
    expect(await isRevoked(sessionId)).toBe(true);
  });

  it("within the grace window, a replay gets the live end of the chain and mints nothing", async () => {
    const { rotateRefreshToken } = await refreshTokensModule();
    const { refreshToken, sessionId, userId } = await login();
    const chain = await rotateTimes(refreshToken, 2);
    const db = await getDb();
    const count = async () => (await db.select().from(refreshTokens).where(eq(refreshTokens.familyId, sessionId))).length;
    expect(await count()).toBe(3);
    expect(await rotateRefreshToken(refreshToken, GRACE_MS)).toEqual({ ok: true, userId, sessionId, token: chain[2] });
    expect(await rotateRefreshToken(chain[1], GRACE_MS)).toEqual({ ok: true, userId, sessionId, token: chain[2] });
    expect(await count()).toBe(3);
    expect(await isRevoked(sessionId)).toBe(false);
  });

  it("the grace window ends the instant its interval has passed since the rotation", async () => {
    const { rotateRefreshToken } = await refreshTokensModule();
    const { refreshToken, sessionId } = await login();
    await rotateTimes(refreshToken, 1);
    const { rotatedAt } = await rowOf(refreshToken);
    clockAt(rotatedAt!.getTime() + GRACE_MS - 1);
    expect((await rotateRefreshToken(refreshToken, GRACE_MS)).ok).toBe(true);
    clockAt(rotatedAt!.getTime() + GRACE_MS);
    expect(await rotateRefreshToken(refreshToken, GRACE_MS)).toEqual({ ok: false });
    expect(await isRevoked(sessionId)).toBe(true);
  });

  it("the grace window follows at most 20 rotations: a token rotated since more often is a replay", async () => {
    const { rotateRefreshToken } = await refreshTokensModule();
    const within = await login();
    const withinChain = await rotateTimes(within.refreshToken, 20);
    expect(await rotateRefreshToken(within.refreshToken, GRACE_MS)).toMatchObject({ ok: true, token: withinChain[20] });

    const beyond = await login();
    await rotateTimes(beyond.refreshToken, 21);
    expect(await rotateRefreshToken(beyond.refreshToken, GRACE_MS)).toEqual({ ok: false });
    expect(await isRevoked(beyond.sessionId)).toBe(true);
  });

  it("name their session, rotated or not, and a token that is not one names none", async () => {
    const { sessionOfRefreshToken } = await refreshTokensModule();
    const { refreshToken, sessionId } = await login();
    const [, next] = await rotateTimes(refreshToken, 1);
    expect(await sessionOfRefreshToken(refreshToken)).toBe(sessionId);
    expect(await sessionOfRefreshToken(next)).toBe(sessionId);
    expect(await sessionOfRefreshToken("not-a-refresh-token")).toBeUndefined();
  });

  it("a replay whose successor is gone from the table is refused, not a crash", async () => {
    const { rotateRefreshToken } = await refreshTokensModule();
    const { refreshToken, sessionId } = await login();
    const [, next] = await rotateTimes(refreshToken, 1);
    const db = await getDb();
    await db.delete(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(next)));
    await expect(rotateRefreshToken(refreshToken, GRACE_MS)).resolves.toEqual({ ok: false });
    expect(await isRevoked(sessionId)).toBe(true);
  });
});
