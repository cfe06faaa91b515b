import "server-only";
import { openDatabase, type Database, type DatabaseHandle } from "./open";
import { getConfig } from "@/lib/config/env";

export type { Database } from "./open";
/** A transaction of either driver (what `db.transaction(fn)` hands `fn`). */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * One database per process. The handle lives on globalThis so `next dev` hot reloads reuse it: PGlite must
 * never be opened twice on the same folder, and a postgres.js pool per reload would leak connections.
 */
const globalForDb = globalThis as typeof globalThis & { __parleyDb?: Promise<DatabaseHandle> };

export function getDatabaseHandle(): Promise<DatabaseHandle> {
  if (!globalForDb.__parleyDb) {
    const opening = openDatabase(getConfig().database);
    // A failed open must not be cached forever: the next request tries again (e.g. Postgres came back).
    opening.catch(() => {
      if (globalForDb.__parleyDb === opening) globalForDb.__parleyDb = undefined;
    });
    globalForDb.__parleyDb = opening;
  }
  return globalForDb.__parleyDb;
}

/** The migrated database. Every query in Parley starts here. */
export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

/** Closes the process's database (tests, scripts, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const pending = globalForDb.__parleyDb;
  globalForDb.__parleyDb = undefined;
  if (pending) await (await pending.catch(() => undefined))?.close();
}
