import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { userOpenRouterKeys, type UserOpenRouterKeyRow } from "@/lib/db/schema";

/** A user's sealed OpenRouter key (lib/user-keys): one row per owner, every statement by owner_id. */

export type SealedKeyValues = Pick<UserOpenRouterKeyRow, "keyVersion" | "keyId" | "iv" | "tag" | "ciphertext" | "last4">;

export async function getUserKeyRow(ownerId: string): Promise<UserOpenRouterKeyRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(userOpenRouterKeys).where(eq(userOpenRouterKeys.ownerId, ownerId)).limit(1);
  return row;
}

/** Saves (or replaces) the owner's key. */
export async function upsertUserKey(ownerId: string, values: SealedKeyValues): Promise<void> {
  const db = await getDb();
  await db
    .insert(userOpenRouterKeys)
    .values({ ownerId, ...values })
    .onConflictDoUpdate({ target: userOpenRouterKeys.ownerId, set: { ...values, updatedAt: new Date() } });
}

/** True when there was a key to delete. */
export async function deleteUserKey(ownerId: string): Promise<boolean> {
  const db = await getDb();
  const deleted = await db
    .delete(userOpenRouterKeys)
    .where(eq(userOpenRouterKeys.ownerId, ownerId))
    .returning({ ownerId: userOpenRouterKeys.ownerId });
  return deleted.length > 0;
}
