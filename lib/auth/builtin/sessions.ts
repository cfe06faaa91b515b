import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/lib/db/client";
import { authSessions, users } from "@/lib/db/schema";
import { shortCache } from "@/lib/auth/short-cache";

/**
 * Built-in sessions (one per login; its refresh tokens form the family) and whether an access token's session
 * is still live. Access tokens name their session (`sid`) and the user's token version (`ver`), and every
 * request checks both: logout, password change/reset, a detected refresh-token theft and account deletion end
 * the access tokens at once instead of up to 15 minutes later. The answer is cached per session for
 * LIVENESS_CACHE_MS (lib/auth/short-cache.ts): a revocation made by another instance is seen here within that time.
 */
export const LIVENESS_CACHE_MS = 5_000;

/** null: the session is revoked or gone, which never changes back. */
type Liveness = { userId: string; tokenVersion: number } | null;
const liveness = shortCache<Liveness>("session-liveness", LIVENESS_CACHE_MS);

/** Whether session `sessionId` of `userId` is not revoked and the user's token version is still `tokenVersion`. */
export async function isSessionLive(sessionId: string, userId: string, tokenVersion: number): Promise<boolean> {
  const live = await liveness.load(sessionId, async () => {
    const db = await getDb();
    const [row] = await db
      .select({ userId: authSessions.userId, tokenVersion: users.tokenVersion })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)))
      .limit(1);
    return row ?? null;
  });
  return live !== null && live.userId === userId && live.tokenVersion === tokenVersion;
}

/**
 * A new login's session, only while the user's token version is still `tokenVersion` (the one read with the
 * password that was checked): a login that raced a password change gets no session (undefined).
 */
export async function startAuthSession(userId: string, tokenVersion: number): Promise<string | undefined> {
  const db = await getDb();
  const [row] = await db
    .insert(authSessions)
    .select(
      // drizzle's insert-select takes every column, in the table's order.
      db
        .select({
          id: sql<string>`gen_random_uuid()`.as("id"),
          userId: users.id,
          revokedAt: sql<null>`null::timestamptz`.as("revoked_at"),
          createdAt: sql<Date>`now()`.as("created_at"),
        })
        .from(users)
        .where(and(eq(users.id, userId), eq(users.tokenVersion, tokenVersion)))
        // Takes turns with a password change's version bump: either this session exists before the change
        // ends every session, or it sees the new version and is not made.
        .for("share"),
    )
    .returning({ id: authSessions.id });
  return row?.id;
}

/** Ends one session (logout, a replayed refresh token); a session already ended or gone is left as it is. */
export async function revokeSession(sessionId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
  liveness.forget([sessionId]);
}

/**
 * Inside a password change or reset: every session of the user ends, and the token version moves on, so no
 * access token issued before verifies (not even one of a login that raced with the change). Call
 * `forgetSessionsOf` once the transaction committed.
 */
export async function endEverySessionIn(tx: Transaction, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, userId));
  await tx
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)));
}

/** Signing out everywhere. */
export async function endEverySession(userId: string): Promise<void> {
  const db = await getDb();
  await db.transaction((tx) => endEverySessionIn(tx, userId));
  forgetSessionsOf(userId);
}

/** After the user's sessions ended (or the user was deleted, taking them along): this process stops trusting them. */
export function forgetSessionsOf(userId: string): void {
  liveness.forget([], (live) => live?.userId === userId);
}
