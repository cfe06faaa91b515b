import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { DatabaseStartupError, migrationsFolder, openDatabase, type Database } from "@/lib/db/open";
import { parleyTableNames } from "@/lib/db/exposure";
import * as schema from "@/lib/db/schema";
import { createThrowawayDatabase, type Sql, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";

/**
 * Supabase serves every table in public to the roles anon and authenticated over its Data API, and its default
 * privileges grant them all Parley creates. These tests set a database up the way Supabase does and check that
 * neither role reaches a Parley row, for a fresh install and for one upgraded from before the lock-down.
 */
const target = inject("testDatabase");
const supabaseRoles = ["anon", "authenticated"] as const;

async function supabaseLike(name: string): Promise<ThrowawayDatabase> {
  const database = await createThrowawayDatabase(name, target.kind === "postgres" ? target.adminUrl : undefined);
  // Roles are cluster-wide and other runs may use them at the same time: create when missing, never drop.
  for (const role of [...supabaseRoles, "service_role"]) {
    await database.sql
      .unsafe(
        `do $$ begin if not exists (select 1 from pg_roles where rolname = '${role}') then create role ${role} nologin; end if; end $$`,
      )
      .catch((error: { code?: string }) => {
        if (error.code !== "23505" && error.code !== "42710") throw error; // another run created it meanwhile
      });
  }
  await database.sql.unsafe(`
    grant usage on schema public to anon, authenticated, service_role;
    alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
    alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
    alter default privileges in schema public grant all on functions to anon, authenticated, service_role;`);
  return database;
}

/** A user with a project and a chat holding one message, written the way the app writes them. */
async function seed(db: Database): Promise<void> {
  const [user] = await db
    .insert(schema.users)
    .values({ email: `owner-${Date.now()}@example.com`, passwordHash: "x" })
    .returning();
  const [project] = await db.insert(schema.projects).values({ ownerId: user.id, name: "Secret plans" }).returning();
  const [chat] = await db
    .insert(schema.chatSessions)
    .values({ projectId: project.id, ownerId: user.id, model: "offline" })
    .returning();
  await db.insert(schema.messages).values({ sessionId: chat.id, seq: 1, role: "user", content: "the secret" });
}

type Outcome = { rows: number } | { refused: string };

async function asRole(sql: Sql, role: string, statement: string): Promise<Outcome> {
  try {
    return await sql.begin(async (tx) => {
      await tx.unsafe(`set local role ${role}`);
      const result = await tx.unsafe(statement);
      return { rows: result.count };
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    // Only a refusal on privileges counts: a constraint error would mean the role got as far as writing.
    if (code === "42501") return { refused: code };
    throw error;
  }
}

async function expectClosedToSupabaseRoles(sql: Sql): Promise<void> {
  const before = await sql<{ count: number }[]>`select count(*)::int as count from messages`;
  expect(before[0].count).toBe(1);
  for (const role of supabaseRoles) {
    for (const table of parleyTableNames) {
      const [{ column }] = await sql<{ column: string }[]>`
        select column_name as column from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} order by ordinal_position limit 1`;
      const statements = [
        `select * from ${table}`,
        `insert into ${table} select * from ${table}`,
        `update ${table} set ${column} = ${column}`,
        `delete from ${table}`,
      ];
      for (const statement of statements) {
        const outcome = await asRole(sql, role, statement);
        if ("rows" in outcome) expect(outcome.rows, `${role}: ${statement}`).toBe(0);
      }
    }
  }
  // Both layers, each on its own: row-level security on every table, and no privilege left to either role.
  const layers = await sql<{ table: string; rls: boolean; granted: boolean }[]>`
    select c.relname as table, c.relrowsecurity as rls,
           has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
             or has_table_privilege('authenticated', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
             as granted
    from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relname = any(${parleyTableNames})
    order by c.relname`;
  expect(layers).toEqual([...parleyTableNames].sort().map((table) => ({ table, rls: true, granted: false })));
  const after = await sql<{ content: string }[]>`select content from messages`;
  expect(after.map((m) => m.content)).toEqual(["the secret"]);
}

describe.skipIf(target.kind !== "postgres")("Parley's tables on a Supabase-like database", () => {
  let databases: ThrowawayDatabase[] = [];
  const cleanUps: (() => void)[] = [];
  afterEach(async () => {
    for (const database of databases) await database.drop();
    databases = [];
    for (const cleanUp of cleanUps.splice(0)) cleanUp();
  });

  it("closes every table to anon and authenticated on a fresh install", async () => {
    const database = await supabaseLike(`parley_supa_fresh_${process.pid}`);
    databases.push(database);
    const handle = await openDatabase({ kind: "postgres", url: database.url, poolMax: 2 });
    try {
      await seed(handle.db);
    } finally {
      await handle.close();
    }
    await expectClosedToSupabaseRoles(database.sql);
  });

  it("closes them on a database migrated and filled before the lock-down", async () => {
    const database = await supabaseLike(`parley_supa_upgrade_${process.pid}`);
    databases.push(database);
    // The layout before 0002: the same migrations folder with the journal cut after 0001.
    const older = fs.mkdtempSync(path.join(os.tmpdir(), "parley-migrations-"));
    cleanUps.push(() => fs.rmSync(older, { recursive: true, force: true }));
    fs.cpSync(migrationsFolder, older, { recursive: true });
    const journalPath = path.join(older, "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((entry) => entry.tag === "0001_session_revocation");
    journal.entries = journal.entries.slice(0, upTo + 1);
    fs.writeFileSync(journalPath, JSON.stringify(journal));
    const db = drizzle(database.sql, { schema }) as unknown as Database;
    await migrate(drizzle(database.sql, { schema }), { migrationsFolder: older });
    await seed(db);
    // Before the lock-down Supabase's grants do expose the rows: the case this migration exists for.
    expect(await asRole(database.sql, "anon", "select * from messages")).toEqual({ rows: 1 });

    const handle = await openDatabase({ kind: "postgres", url: database.url, poolMax: 2 });
    await handle.close();
    await expectClosedToSupabaseRoles(database.sql);
  });

  it("refuses to start when a table was opened to the Data API again", async () => {
    const database = await supabaseLike(`parley_supa_reopened_${process.pid}`);
    databases.push(database);
    await (await openDatabase({ kind: "postgres", url: database.url, poolMax: 2 })).close();
    await database.sql.unsafe(`alter table messages disable row level security; grant select on messages to anon`);

    const refusal = openDatabase({ kind: "postgres", url: database.url, poolMax: 2 });
    await expect(refusal).rejects.toBeInstanceOf(DatabaseStartupError);
    await expect(refusal).rejects.toThrow(
      "Parley's table public.messages is readable by the Supabase role anon without row-level security: run the migrations (npm run db:migrate) or `alter table public.messages enable row level security`",
    );
  });
});
