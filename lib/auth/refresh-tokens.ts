import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, exists, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/lib/db/client";
import { refreshTokens } from "@/lib/db/schema";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-token";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

/** Issues a refresh token; a new login starts a new family, a rotation continues its family. */
export async function issueRefreshToken(userId: string, familyId: string = randomUUID()): Promise<string> {
  const db = await getDb();
  const { token, hash } = newOpaqueToken();
  await db.insert(refreshTokens).values({ userId, familyId, tokenHash: hash, expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000) });
  return token;
}

export type RotationResult = { ok: true; userId: string; token: string } | { ok: false };

/**
 * Exchanges a refresh token for the next one in its family. A token that was already rotated is a replay
 * (someone else holds a copy): the whole family is revoked, so the thief and the victim both must log in again.
 */
export async function rotateRefreshToken(token: string, reuseIntervalMs = 0): Promise<RotationResult> {
  const db = await getDb();
  // A revoked family stays revoked for tokens issued after the revocation too: when two uses race, the loser
  // may revoke the family before the winner's new token is inserted, and that token must not outlive it.
  const sibling = alias(refreshTokens, "sibling");
  const familyRevoked = exists(db.select({ id: sibling.id }).from(sibling).where(and(eq(sibling.familyId, refreshTokens.familyId), isNotNull(sibling.revokedAt))));
  const [found] = await db
    .select({ row: refreshTokens, familyRevoked: sql<boolean>`${familyRevoked}` })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashOpaqueToken(token)))
    .limit(1);
  const row = found?.row;
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { ok: false };
  if (found.familyRevoked) {
    await revokeFamily(row.familyId);
    return { ok: false };
  }
  // A browser whose access cookie just expired sends several requests at once, each with the same refresh
  // cookie; within the reuse interval (as GoTrue's REFRESH_TOKEN_REUSE_INTERVAL) they get siblings in the same
  // family instead of logging the user out. Only the browser's proxy path asks for an interval; the REST API
  // stays strict.
  const withinReuseInterval = async () => {
    const [fresh] = await db.select({ rotatedAt: refreshTokens.rotatedAt, revokedAt: refreshTokens.revokedAt }).from(refreshTokens).where(eq(refreshTokens.id, row.id));
    return reuseIntervalMs > 0 && !fresh?.revokedAt && fresh?.rotatedAt != null && Date.now() - fresh.rotatedAt.getTime() < reuseIntervalMs;
  };
  if (row.rotatedAt) {
    if (await withinReuseInterval()) return { ok: true, userId: row.userId, token: await issueRefreshToken(row.userId, row.familyId) };
    await revokeFamily(row.familyId);
    return { ok: false };
  }
  // The `rotated_at IS NULL` guard makes two concurrent uses of one token race for a single winner.
  const claimed = await db
    .update(refreshTokens)
    .set({ rotatedAt: new Date() })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    if (await withinReuseInterval()) return { ok: true, userId: row.userId, token: await issueRefreshToken(row.userId, row.familyId) };
    await revokeFamily(row.familyId);
    return { ok: false };
  }
  return { ok: true, userId: row.userId, token: await issueRefreshToken(row.userId, row.familyId) };
}

export async function revokeFamily(familyId: string): Promise<void> {
  const db = await getDb();
  await db.update(refreshTokens).set({ revokedAt: new Date() }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Logout: revokes the family the token belongs to (whatever state it is in). */
export async function revokeFamilyOfToken(token: string): Promise<void> {
  const db = await getDb();
  const [row] = await db.select({ familyId: refreshTokens.familyId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(token))).limit(1);
  if (row) await revokeFamily(row.familyId);
}

/** After a password change or reset every session of the user ends. */
export async function revokeAllOfUser(userId: string): Promise<void> {
  const db = await getDb();
  await db.update(refreshTokens).set({ revokedAt: new Date() }).where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
