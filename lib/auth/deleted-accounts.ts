import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { deletedAccounts } from "@/lib/db/schema";
import { LIVENESS_CACHE_MS } from "./builtin/sessions";
import { shortCache } from "./short-cache";

/**
 * Supabase accounts deleted in Parley. Parley cannot remove the Supabase user (that needs the service-role
 * key), so its access tokens would keep verifying until they expire (an hour by default) and could write rows
 * for an account whose data is gone. Every token of the user issued before the deletion is refused instead,
 * checked per request like built-in sessions (cached per user for the same few seconds).
 */
const deletedAt = shortCache<number | null>("deleted-accounts", LIVENESS_CACHE_MS);

export async function markAccountDeleted(userId: string): Promise<void> {
  const db = await getDb();
  const now = new Date();
  await db
    .insert(deletedAccounts)
    .values({ userId, deletedAt: now })
    .onConflictDoUpdate({ target: deletedAccounts.userId, set: { deletedAt: now } });
  deletedAt.forget([userId]);
}

/** Whether a token of `userId` issued at `issuedAt` (seconds, the `iat` claim) predates the account's deletion. */
export async function issuedBeforeDeletion(userId: string, issuedAt: unknown): Promise<boolean> {
  const deleted = await deletedAt.load(userId, async () => {
    const db = await getDb();
    const [row] = await db
      .select({ deletedAt: deletedAccounts.deletedAt })
      .from(deletedAccounts)
      .where(eq(deletedAccounts.userId, userId))
      .limit(1);
    return row ? row.deletedAt.getTime() : null;
  });
  if (deleted === null) return false;
  // `iat` has whole seconds: a token of the deletion's own second may predate it, so it is refused too.
  return typeof issuedAt !== "number" || issuedAt <= Math.floor(deleted / 1000);
}
