import path from "node:path";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { afterEach, describe, expect, inject, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { openDatabase, type DatabaseHandle } from "@/lib/db/open";
import { parleySchemaName, parleyTableNames } from "@/lib/db/exposure";
import { createThrowawayDatabase } from "@/tests/support/throwaway-postgres";
import {
  beforeParleySchema,
  expectOldConstraintsMoved,
  expectOldRowsMoved,
  migrationsUpTo,
  oldLayoutRows,
  relationsInPublic,
} from "@/tests/support/old-layout";

/**
 * Parley's tables moved from public into the schema parley (migration 0003). An install from before the move
 * must keep every row, on the embedded database as on PostgreSQL: migrate to the old layout with the old
 * migrations, fill it the way that release did, then open it with the current code.
 */
const target = inject("testDatabase");
const cleanUps: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** A database at the old layout holding `statements`' rows, then opened (and so migrated) the way the app starts. */
async function upgradedFromOldLayout(statements: string): Promise<DatabaseHandle> {
  const old = migrationsUpTo(beforeParleySchema);
  cleanUps.push(old.remove);
  if (target.kind === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const dataDir = path.join(target.base, `upgrade-${randomBytes(4).toString("hex")}`);
    cleanUps.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    fs.mkdirSync(dataDir, { recursive: true });
    // The folder openDatabase uses for a data directory.
    const client = await PGlite.create(path.join(dataDir, "pglite"));
    try {
      await migrate(drizzle(client), { migrationsFolder: old.folder });
      await client.exec(statements);
    } finally {
      await client.close();
    }
    const handle = await openDatabase({ kind: "pglite", dataDir });
    cleanUps.push(() => handle.close());
    return handle;
  }
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const database = await createThrowawayDatabase(`parley_upgrade_${process.pid}`, target.adminUrl);
  cleanUps.push(() => database.drop());
  await migrate(drizzle(database.sql), { migrationsFolder: old.folder });
  await database.sql.unsafe(statements);
  const handle = await openDatabase({ kind: "postgres", url: database.url, poolMax: 2 });
  cleanUps.push(() => handle.close());
  return handle;
}

describe(`the schema parley (${target.kind})`, () => {
  it("holds every Parley table on a fresh install, each with row-level security, and public none", async () => {
    const db = await getDb();
    const result = await db.execute(sql`
      select c.relname as table, c.relrowsecurity as rls from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${parleySchemaName} and c.relkind in ('r', 'p', 'v', 'm', 'f') order by c.relname`);
    const tables = Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows;
    expect(tables).toEqual([...parleyTableNames].sort().map((table) => ({ table, rls: true })));
    expect(await relationsInPublic(db)).toEqual([]);
  });

  it("moves the tables of an install from before it into parley, with every row", async () => {
    const { rows, statements } = oldLayoutRows();
    const handle = await upgradedFromOldLayout(statements);
    expect(await relationsInPublic(handle.db)).toEqual([]);
    await expectOldRowsMoved(handle.db, rows);
    await expectOldConstraintsMoved(handle.db, rows);
  });
});
