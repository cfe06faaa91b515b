import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import { afterEach, describe, expect, inject, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { readPathContext } from "@/lib/db/queries/messages";
import { rowsOf } from "@/lib/db/rows";
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
async function upgradedFromOldLayout(statements: string, lastTag = beforeParleySchema): Promise<DatabaseHandle> {
  const old = migrationsUpTo(lastTag);
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

describe(`messages as a tree (${target.kind})`, () => {
  it("turns the linear chats of an install from before into single-branch trees, seen and sent as before", async () => {
    const owner = randomUUID();
    const project = randomUUID();
    const chat = randomUUID();
    const empty = randomUUID();
    // Seq 4 is missing: regenerate used to delete the reply it replaced. The summary covers through seq 4 (the
    // deleted reply's number), so its last message is seq 3.
    const contents = ["q1", "a1", "q2", "a2 (second try)", "q3", "a3"];
    const seqs = [1, 2, 3, 5, 6, 7];
    const statements = `
      insert into parley.projects (id, owner_id, name) values ('${project}', '${owner}', 'Old');
      insert into parley.chat_sessions (id, project_id, owner_id, model, last_seq, message_count, summary, summary_through_seq, summary_covered_messages, summary_status)
        values ('${chat}', '${project}', '${owner}', 'offline', 7, 6, 'They said q1 and q2.', 4, 3, 'ready'),
               ('${empty}', '${project}', '${owner}', 'offline', 0, 0, null, 0, 0, 'none');
      ${contents
        .map(
          (content, i) =>
            `insert into parley.messages (session_id, owner_id, seq, role, content) values ('${chat}', '${owner}', ${seqs[i]}, '${i % 2 ? "assistant" : "user"}', '${content}');`,
        )
        .join("\n")}`;
    const handle = await upgradedFromOldLayout(statements, "0009_usage_events");
    const rows = rowsOf<{ id: string; parent_id: string | null; seq: number }>(
      await handle.db.execute(sql`select id, parent_id, seq from parley.messages where session_id = ${chat}::uuid order by seq`),
    );
    expect(rows.map((r) => r.parent_id)).toEqual([null, ...rows.slice(0, -1).map((r) => r.id)]);
    const sessions = rowsOf<{ id: string; active_leaf_id: string | null }>(
      await handle.db.execute(
        sql`select id, active_leaf_id from parley.chat_sessions where project_id = ${project}::uuid order by id`,
      ),
    );
    expect(Object.fromEntries(sessions.map((s) => [s.id, s.active_leaf_id]))).toEqual({ [chat]: rows.at(-1)!.id, [empty]: null });

    // What the model gets: the same summary and the same messages after it.
    const path = await readPathContext(owner, chat, { withSummary: true }, handle.db);
    expect(path.summary).toMatchObject({ text: "They said q1 and q2.", throughSeq: 3, coveredMessages: 3 });
    expect(path.messages.map((m) => m.content)).toEqual(["a2 (second try)", "q3", "a3"]);
    // What users see (the whole path, memory aside): every message, in the order they had.
    const full = await readPathContext(owner, chat, { withSummary: false }, handle.db);
    expect(full.messages.map((m) => m.content)).toEqual(contents);
  });
});
