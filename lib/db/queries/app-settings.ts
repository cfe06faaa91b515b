import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/lib/db/client";
import { appSettings } from "@/lib/db/schema";

/** The run-time settings table: the same for every user (not user data), hence no owner filter. */

export async function readAppSettings(): Promise<Record<string, unknown>> {
  const db = await getDb();
  const rows = await db.select({ key: appSettings.key, value: appSettings.value }).from(appSettings);
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

/** Sets (or, with null, removes: the environment's value applies again) each key, in the caller's transaction. */
export async function writeAppSettingsIn(tx: Transaction, values: Record<string, unknown>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    if (value === null) await tx.delete(appSettings).where(sql`${appSettings.key} = ${key}`);
    else
      await tx
        .insert(appSettings)
        .values({ key, value })
        .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
  }
}

/**
 * Claims the `first_admin` marker for `userId`, inside the sign-up's transaction: the key is unique, so of two
 * concurrent first sign-ups exactly one inserts it (the other waits on the key, then finds it taken). True for
 * the winner.
 */
export async function claimFirstAdminIn(tx: Transaction, userId: string): Promise<boolean> {
  const rows = await tx
    .insert(appSettings)
    .values({ key: FIRST_ADMIN_KEY, value: userId })
    .onConflictDoNothing({ target: appSettings.key })
    .returning({ key: appSettings.key });
  return rows.length > 0;
}

export const FIRST_ADMIN_KEY = "first_admin";

/** Whether some account has become the first admin (built-in accounts). */
export async function firstAdminClaimed(): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .select({ key: appSettings.key })
    .from(appSettings)
    .where(sql`${appSettings.key} = ${FIRST_ADMIN_KEY}`)
    .limit(1);
  return rows.length > 0;
}
