import "server-only";
import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb, type Transaction } from "@/lib/db/client";
import { authSessions, refreshTokens } from "@/lib/db/schema";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-token";
import { getAuthSecret } from "@/lib/auth/secret";
import { revokeSession, startAuthSession } from "./sessions";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
/** How far the grace-window walk follows a chain of rotations to its live end. */
const MAX_CHAIN_WALK = 20;

const expiry = () => new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000);

/**
 * The token that replaces `token` when it is rotated. Derived (keyed with the auth secret), not random: a
 * replay inside the browser's grace window gets the very token that was already issued, without the database
 * holding any token in the clear. Without the secret, a token says nothing about its successor.
 */
function successorOf(token: string): string {
  return createHmac("sha256", getAuthSecret()).update(`parley-refresh-rotation:${token}`).digest("base64url");
}

/** A new login: its session and the first refresh token of its family (none if the password changed meanwhile). */
export async function startSession(
  userId: string,
  tokenVersion: number,
): Promise<{ sessionId: string; refreshToken: string } | undefined> {
  const sessionId = await startAuthSession(userId, tokenVersion);
  if (!sessionId) return undefined;
  const db = await getDb();
  const { token, hash } = newOpaqueToken();
  await db.insert(refreshTokens).values({ userId, familyId: sessionId, tokenHash: hash, expiresAt: expiry() });
  return { sessionId, refreshToken: token };
}

export type RotationResult = { ok: true; userId: string; sessionId: string; token: string } | { ok: false };

/** The live end of the chain that starts with `token`'s successor (a rotation already happened). */
async function liveSuccessor(tx: Transaction, token: string): Promise<string | undefined> {
  let next = successorOf(token);
  for (let step = 0; step < MAX_CHAIN_WALK; step++) {
    const [row] = await tx
      .select({ rotatedAt: refreshTokens.rotatedAt })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(next)))
      .limit(1);
    if (!row) return undefined;
    if (!row.rotatedAt) return next;
    next = successorOf(next);
  }
  return undefined;
}

/**
 * Exchanges a refresh token for the next one in its family. A token that was already rotated is a replay
 * (someone else holds a copy): the whole session is revoked, so the thief and the victim both must log in again.
 *
 * A browser whose access cookie just expired sends several requests at once, each with the same refresh
 * cookie; within `reuseIntervalMs` of the rotation (as GoTrue's REFRESH_TOKEN_REUSE_INTERVAL) those get the
 * token the first one got, not a new sibling each: replays mint nothing. Only the browser's proxy path asks for
 * an interval; the REST API stays strict.
 */
export async function rotateRefreshToken(token: string, reuseIntervalMs = 0): Promise<RotationResult> {
  const db = await getDb();
  const outcome = await db.transaction(async (tx): Promise<RotationResult | { ok: false; replayOf: string }> => {
    // Locks the token and its session: rotations of one family, and its revocation, take turns.
    const [row] = await tx
      .select({
        id: refreshTokens.id,
        userId: refreshTokens.userId,
        sessionId: refreshTokens.familyId,
        expiresAt: refreshTokens.expiresAt,
        rotatedAt: refreshTokens.rotatedAt,
        revokedAt: authSessions.revokedAt,
      })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.familyId))
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(token)))
      .for("update")
      .limit(1);
    if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { ok: false };
    const issued = { ok: true, userId: row.userId, sessionId: row.sessionId } as const;
    if (!row.rotatedAt) {
      const next = successorOf(token);
      await tx.update(refreshTokens).set({ rotatedAt: new Date() }).where(eq(refreshTokens.id, row.id));
      await tx
        .insert(refreshTokens)
        .values({ userId: row.userId, familyId: row.sessionId, tokenHash: hashOpaqueToken(next), expiresAt: expiry() });
      return { ...issued, token: next };
    }
    if (reuseIntervalMs > 0 && Date.now() - row.rotatedAt.getTime() < reuseIntervalMs) {
      const next = await liveSuccessor(tx, token);
      if (next) return { ...issued, token: next };
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
  const [row] = await db
    .select({ sessionId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashOpaqueToken(token)))
    .limit(1);
  return row?.sessionId;
}
