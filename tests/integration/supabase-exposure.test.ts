import { updateSettings } from "@/lib/admin/service";
import { saveUserKey } from "@/lib/user-keys/service";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { closeDb, getDb } from "@/lib/db/client";
import { DatabaseStartupError, openDatabase } from "@/lib/db/open";
import { parleySchemaName, parleyTableNames } from "@/lib/db/exposure";
import { resetConfigForTests } from "@/lib/config/env";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { markAccountDeleted } from "@/lib/auth/deleted-accounts";
import { createProjectFor } from "@/lib/projects/service";
import { createChatFor, listHistoryOf } from "@/lib/chats/service";
import { sendMessage } from "@/lib/chat/engine/send-message";
import { drainWork } from "@/lib/server/shutdown";
import { storeCatalog } from "@/lib/db/queries/model-catalog";
import { commitSummary } from "@/lib/db/queries/memory";
import { createThrowawayDatabase, type Sql, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";
import {
  beforeLockDown,
  beforeParleySchema,
  expectOldRowsMoved,
  migrationsUpTo,
  oldLayoutRows,
} from "@/tests/support/old-layout";

/**
 * Supabase serves the schemas it exposes (public by default) over its Data API to the roles anon and
 * authenticated, and its default privileges grant them all that is created in public. These tests set a
 * database up the way Supabase does and check that neither role reaches a row of any table Parley created, for
 * a fresh install and for installs upgraded from the layout with every table in public.
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

/** Points the app's own configuration at `url` for `fn`: getDb() opens (and migrates) it as the server does. */
async function withAppOn<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.DATABASE_URL;
  await closeDb();
  process.env.DATABASE_URL = url;
  resetConfigForTests();
  try {
    return await fn();
  } finally {
    await closeDb();
    process.env.DATABASE_URL = previous;
    resetConfigForTests();
  }
}

/**
 * Sign-up, a project and a chat with one exchange and its summary, a reset link asked for, a deleted Supabase
 * account, an admin setting, a user's own key and a model catalog stored (as a read of OpenRouter's list does):
 * the app's own code, writing a row into every table.
 */
async function useTheApp(): Promise<{ userId: string; chatId: string }> {
  const email = `owner-${randomUUID()}@example.com`;
  const auth = getAuthAdapter();
  const { user } = await auth.signUp({ email, password: "correct horse battery staple", fullName: "Owner" });
  vi.spyOn(console, "info").mockImplementation(() => {}); // the reset link goes to the log without SMTP
  await auth.requestPasswordReset(email);
  const project = await createProjectFor(user.id, { project_name: "Secret plans" });
  const chat = await createChatFor(user.id, { project_id: project.id });
  const generation = await sendMessage({ ownerId: user.id, sessionId: chat.id, text: "the secret" });
  expect((await generation.done).status).toBe("complete");
  await markAccountDeleted(randomUUID());
  // An admin change (the first account is the admin): a row in the audit log, and a run-time setting.
  await updateSettings(user, { user_keys_enabled: true });
  // The user's own OpenRouter key, sealed (a row that must stay out of the Data API's reach above all).
  await saveUserKey(user.id, { key: `sk-or-v1-${"0123456789abcdef".repeat(4)}` });
  await storeCatalog(
    "http://catalog.test/api/v1",
    [{ id: "a/b", name: "B", contextLength: 8192, pricing: null, inputModalities: ["text"] }],
    new Date(),
  );
  expect(await drainWork(10_000)).toBe(true);
  vi.restoreAllMocks();
  const history = await listHistoryOf(user.id, chat.id, {});
  expect(history.items.map((m) => m.role)).toEqual(["user", "assistant"]);
  // A memory summary of that exchange (as the summarizer stores one, keyed by its last message).
  const reply = history.items[1]!;
  await commitSummary(user.id, chat.id, {
    summary: "A secret.",
    throughMessageId: reply.id,
    throughSeq: reply.seq,
    coveredMessages: 2,
  });
  return { userId: user.id, chatId: chat.id };
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

const quoted = (schema: string, table: string) => `"${schema}"."${table}"`;

async function expectClosedToSupabaseRoles(sql: Sql): Promise<void> {
  // Every table of every schema Parley created (its own and drizzle's bookkeeping); none left in public.
  const relations = await sql<{ schema: string; table: string }[]>`
    select n.nspname as schema, c.relname as table
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
    order by n.nspname, c.relname`;
  expect(relations.map((r) => `${r.schema}.${r.table}`)).toEqual([
    "drizzle.__drizzle_migrations",
    ...[...parleyTableNames].sort().map((name) => `${parleySchemaName}.${name}`),
  ]);
  const counts: Record<string, number> = {};
  for (const { schema, table } of relations) {
    const [{ count }] = await sql.unsafe<{ count: number }[]>(`select count(*)::int as count from ${quoted(schema, table)}`);
    // Rows the roles could have seen: 0 from them then means closed, not empty.
    expect(count, `${schema}.${table} holds rows`).toBeGreaterThan(0);
    counts[`${schema}.${table}`] = count;
  }

  for (const role of supabaseRoles) {
    for (const { schema, table } of relations) {
      const name = quoted(schema, table);
      // Generated columns (the search vectors) refuse any written value before privileges are even checked.
      const columns = await sql<{ column: string }[]>`
        select column_name as column from information_schema.columns
        where table_schema = ${schema} and table_name = ${table} and is_generated = 'NEVER' order by ordinal_position`;
      const column = columns[0]?.column ?? "";
      const list = columns.map((c) => `"${c.column}"`).join(", ");
      const statements = [
        `select * from ${name}`,
        `insert into ${name} (${list}) select ${list} from ${name}`,
        `update ${name} set "${column}" = "${column}"`,
        `delete from ${name}`,
      ];
      for (const statement of statements) {
        const outcome = await asRole(sql, role, statement);
        if ("rows" in outcome) expect(outcome.rows, `${role}: ${statement}`).toBe(0);
      }
    }
  }

  // Each layer on its own: row-level security on every Parley table, no privilege on any table, and no use of
  // the schemas for either role or for PUBLIC.
  const tables = await sql<{ schema: string; table: string; rls: boolean; granted: boolean }[]>`
    select n.nspname as schema, c.relname as table, c.relrowsecurity as rls,
           has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
             or has_table_privilege('authenticated', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
             as granted
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in (${parleySchemaName}, 'drizzle') and c.relkind in ('r', 'p', 'S')
    order by n.nspname, c.relname`;
  for (const row of tables) {
    expect(row.granted, `${row.schema}.${row.table} granted`).toBe(false);
    if (row.schema === parleySchemaName) expect(row.rls, `${row.schema}.${row.table} rls`).toBe(true);
  }
  expect(tables.filter((t) => t.schema === parleySchemaName)).toHaveLength(parleyTableNames.length);
  const schemas = await sql<{ schema: string; anon: boolean; authenticated: boolean; public: boolean }[]>`
    select nspname as schema, has_schema_privilege('anon', oid, 'USAGE') as anon,
           has_schema_privilege('authenticated', oid, 'USAGE') as authenticated,
           coalesce((select bool_or(a.grantee = 0) from aclexplode(nspacl) a), false) as public
    from pg_namespace where nspname in (${parleySchemaName}, 'drizzle') order by nspname`;
  expect(schemas).toEqual([
    { schema: "drizzle", anon: false, authenticated: false, public: false },
    { schema: parleySchemaName, anon: false, authenticated: false, public: false },
  ]);

  // Nothing the roles tried changed a row.
  for (const { schema, table } of relations) {
    const [{ count }] = await sql.unsafe<{ count: number }[]>(`select count(*)::int as count from ${quoted(schema, table)}`);
    expect(count, `${schema}.${table} after the roles' attempts`).toBe(counts[`${schema}.${table}`]);
  }
}

describe.skipIf(target.kind !== "postgres")("Parley's tables on a Supabase-like database", () => {
  let databases: ThrowawayDatabase[] = [];
  const cleanUps: (() => void)[] = [];
  afterEach(async () => {
    for (const database of databases) await database.drop();
    databases = [];
    for (const cleanUp of cleanUps.splice(0)) cleanUp();
  });

  async function database(label: string): Promise<ThrowawayDatabase> {
    const created = await supabaseLike(`parley_supa_${label}_${process.pid}`);
    databases.push(created);
    return created;
  }

  it("closes every table to anon and authenticated on a fresh install", async () => {
    const supabase = await database("fresh");
    await withAppOn(supabase.url, useTheApp);
    await expectClosedToSupabaseRoles(supabase.sql);
  });

  it.each([
    ["before the lock-down of public", beforeLockDown, "upgrade_open"],
    ["with public locked down", beforeParleySchema, "upgrade_locked"],
  ])("moves the tables of an install %s into parley, rows and all, and closes them", async (_, lastTag, label) => {
    const supabase = await database(label);
    const old = migrationsUpTo(lastTag);
    cleanUps.push(old.remove);
    await migrate(drizzle(supabase.sql), { migrationsFolder: old.folder });
    const { rows, statements } = oldLayoutRows();
    await supabase.sql.unsafe(statements);
    // Before 0002 Supabase's grants expose the rows (the case all this exists for); after it, they are refused.
    expect(await asRole(supabase.sql, "anon", "select * from public.messages")).toEqual(
      lastTag === beforeLockDown ? { rows: 2 } : { refused: "42501" },
    );

    await withAppOn(supabase.url, async () => {
      await useTheApp();
      await expectOldRowsMoved(await getDb(), rows);
    });
    await expectClosedToSupabaseRoles(supabase.sql);
  });

  it("refuses to start when a table of parley was opened to the Data API again", async () => {
    const supabase = await database("reopened");
    await (await openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).close();
    await supabase.sql.unsafe(`
      grant usage on schema parley to anon;
      grant select on parley.messages to anon;
      alter table parley.messages disable row level security`);

    const refusal = openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 });
    await expect(refusal).rejects.toBeInstanceOf(DatabaseStartupError);
    await expect(refusal).rejects.toThrow(
      "Parley's table parley.messages is readable by the Supabase role anon without row-level security: run `revoke all on schema parley from anon, authenticated, public`",
    );
    // The fix it names is enough.
    await supabase.sql.unsafe("revoke all on schema parley from anon, authenticated, public");
    await (await openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).close();
  });

  it("refuses to start when a row-level security policy lets a role through", async () => {
    const supabase = await database("policy");
    await (await openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).close();
    // Usage and a privilege alone open nothing while row-level security has no policy: that still starts.
    await supabase.sql.unsafe(`
      grant usage on schema parley to public;
      grant insert, update on parley.chat_sessions to authenticated`);
    await (await openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).close();

    await supabase.sql.unsafe(`create policy everyone on parley.chat_sessions using (true)`);
    await expect(openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).rejects.toThrow(
      "Parley's table parley.chat_sessions is writable by the Supabase role authenticated through a row-level security policy: run `revoke all on schema parley from anon, authenticated, public`",
    );
  });

  it("refuses to start when a copy of a Parley table in public is served, not for a project's own table", async () => {
    const supabase = await database("copy");
    await (await openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).close();
    // A table of the project's own that happens to share a name: Supabase's grants expose it, but it is not Parley's.
    await supabase.sql.unsafe(`create table public.projects (id uuid primary key, title text)`);
    await (await openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).close();

    // The old layout restored from a dump beside the moved tables: Supabase's default privileges expose it.
    await supabase.sql.unsafe(`create table public.messages (like parley.messages including all)`);
    await expect(openDatabase({ kind: "postgres", url: supabase.url, poolMax: 2 })).rejects.toThrow(
      "A copy of Parley's table messages is left in the schema public, readable by the Supabase role anon without row-level security: move what it holds into parley.messages and drop it, or run `revoke all on table public.messages from anon, authenticated, public`",
    );
  });
});
