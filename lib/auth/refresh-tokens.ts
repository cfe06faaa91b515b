import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/lib/db/client";
import { authSessions, refreshTokens } from "@/lib/db/schema";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-token";
import { revokeSession, startAuthSession } from "./sessions";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

const expiry = () => new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000);

/** A refresh token of session `sessionId`. */
async function issueRefreshToken(tx: Database | Transaction, userId: string, sessionId: string): Promise<string> {
  const { token, hash } = newOpaqueToken();
  await tx.insert(refreshTokens).values({ userId, familyId: sessionId, tokenHash: hash, expiresAt: expiry() });
  return token;
}

/** A new login: its session and the first refresh token of its family (none if the password changed meanwhile). */
export async function startSession(userId: string, tokenVersion: number): Promise<{ sessionId: string; refreshToken: string } | undefined> {
  const sessionId = await startAuthSession(userId, tokenVersion);
  if (!sessionId) return undefined;
  return { sessionId, refreshToken: await issueRefreshToken(await getDb(), userId, sessionId) };
}

export type RotationResult = { ok: true; userId: string; sessionId: string; token: string } | { ok: false };

/**
 * Exchanges a refresh token for the next one in its family. A token that was already rotated is a replay
 * (someone else holds a copy): the whole session is revoked, so the thief and the victim both must log in again.
 *
 * A browser whose access cookie just expired sends several requests at once, each with the same refresh
 * cookie; within `reuseIntervalMs` of the rotation (as GoTrue's REFRESH_TOKEN_REUSE_INTERVAL) they get siblings
 * in the same family instead of logging the user out. Only the browser's proxy path asks for an interval; the
 * REST API stays strict.
 */
export async function rotateRefreshToken(token: string, reuseIntervalMs = 0): Promise<RotationResult> {
  const db = await getDb();
  const outcome = await db.transaction(async (tx): Promise<RotationResult | { ok: false; replayOf: string }> => {
    // Locks the token and its session: rotations of one family, and its revocation, take turns.
    const [row] = await tx
      .select({ id: refreshTokens.id, userId: refreshTokens.userId, sessionId: refreshTokens.familyId, expiresAt: refreshTokens.expiresAt, rotatedAt: refreshTokens.rotatedAt, revokedAt: authSessions.revokedAt })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.familyId))
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(token)))
      .for("update")
      .limit(1);
    if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { ok: false };
    const issued = { ok: true, userId: row.userId, sessionId: row.sessionId } as const;
    if (!row.rotatedAt) {
      await tx.update(refreshTokens).set({ rotatedAt: new Date() }).where(eq(refreshTokens.id, row.id));
      return { ...issued, token: await issueRefreshToken(tx, row.userId, row.sessionId) };
    }
    if (reuseIntervalMs > 0 && Date.now() - row.rotatedAt.getTime() < reuseIntervalMs) {
      return { ...issued, token: await issueRefreshToken(tx, row.userId, row.sessionId) };
    }
    return { ok: false, replayOf: row.sessionId };
  });
  if (outcome.ok) return outcome;
  if ("replayOf" in outcome) await revokeSession(outcome.replayOf);
  return { ok: false };
}

/** The session a refresh token belongs to, whatever state it is in (logout). */
export async function sessionOfRefreshToken(token: string): Promise<string | undefined> {
  const db = await getDb();
  const [row] = await db.select({ sessionId: refreshTokens.familyId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(token))).limit(1);
  return row?.sessionId;
}
