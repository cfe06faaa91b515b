import "server-only";
import { eq, lt, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { modelCatalog } from "@/lib/db/schema";

/**
 * The stored model catalog: not user data (every user is offered the same models), so no owner scope. The row is
 * replaced only by a newer fetch, so two instances refreshing at once cannot put an older list back.
 */

export interface StoredCatalog {
  models: unknown;
  fetchedAt: Date;
}

export async function readStoredCatalog(source: string): Promise<StoredCatalog | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ models: modelCatalog.models, fetchedAt: modelCatalog.fetchedAt })
    .from(modelCatalog)
    .where(eq(modelCatalog.source, source))
    .limit(1);
  return row;
}

/** Stores a freshly fetched list unless the stored one is as new or newer; true when this one was stored. */
export async function storeCatalog(source: string, models: unknown, fetchedAt: Date): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .insert(modelCatalog)
    .values({ source, models, fetchedAt })
    .onConflictDoUpdate({
      target: modelCatalog.source,
      set: { models: sql`excluded.models`, fetchedAt: sql`excluded.fetched_at` },
      setWhere: lt(modelCatalog.fetchedAt, sql`excluded.fetched_at`),
    })
    .returning({ source: modelCatalog.source });
  return rows.length > 0;
}
