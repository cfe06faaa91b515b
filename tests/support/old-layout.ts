/**
 * Parley before the schema parley: every table in public. For upgrade tests on both drivers: migrate a fresh
 * database with the migrations of an older release, fill its tables the way that release wrote them, run the
 * current migrations, then check that every row arrived in parley.* and that public kept nothing.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { migrationsFolder, type Database } from "@/lib/db/open";
import * as schema from "@/lib/db/schema";

/** The last migration of the old layout, and the one before the lock-down of public (0002). */
export const beforeParleySchema = "0002_lock_down_tables";
export const beforeLockDown = "0001_session_revocation";

/** A copy of the migrations folder whose journal ends with `lastTag`: what a release with only those had. */
export function migrationsUpTo(lastTag: string): { folder: string; remove(): void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "parley-migrations-"));
  fs.cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag}`);
  journal.entries = journal.entries.slice(0, last + 1);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return { folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

export interface OldRows {
  userId: string;
  email: string;
  sessionId: string;
  deletedUserId: string;
  projectId: string;
  chatId: string;
}

/**
 * One account with a login, a reset link, a project and a chat of two messages, plus a deleted Supabase
 * account: a row in every table, written with the old names (public.*). Multi-statement SQL, for either
 * driver's simple-query call (postgres.js `unsafe`, PGlite `exec`).
 */
export function oldLayoutRows(): { rows: OldRows; statements: string } {
  const rows: OldRows = {
    userId: randomUUID(),
    email: `old-owner-${randomUUID()}@example.com`,
    sessionId: randomUUID(),
    deletedUserId: randomUUID(),
    projectId: randomUUID(),
    chatId: randomUUID(),
  };
  const statements = `
    insert into public.users (id, email, password_hash, full_name) values ('${rows.userId}', '${rows.email}', 'old-hash', 'Old Owner');
    insert into public.auth_sessions (id, user_id) values ('${rows.sessionId}', '${rows.userId}');
    insert into public.refresh_tokens (user_id, family_id, token_hash, expires_at)
      values ('${rows.userId}', '${rows.sessionId}', 'old-refresh-hash', now() + interval '1 day');
    insert into public.password_reset_tokens (user_id, token_hash, expires_at)
      values ('${rows.userId}', 'old-reset-hash', now() + interval '1 hour');
    insert into public.deleted_accounts (user_id) values ('${rows.deletedUserId}');
    insert into public.projects (id, owner_id, name, system_prompt) values ('${rows.projectId}', '${rows.userId}', 'Old plans', 'Be brief.');
    insert into public.chat_sessions (id, project_id, owner_id, title, model, last_seq, message_count)
      values ('${rows.chatId}', '${rows.projectId}', '${rows.userId}', 'Old chat', 'offline', 2, 2);
    insert into public.messages (session_id, seq, role, content)
      values ('${rows.chatId}', 1, 'user', 'the old secret'), ('${rows.chatId}', 2, 'assistant', 'an old reply');`;
  return { rows, statements };
}

// postgres.js answers an array of rows, PGlite an object holding them.
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

/** Every table, view or sequence left in public (the old layout's tables had none but tables). */
export async function relationsInPublic(db: Database): Promise<string[]> {
  const result = await db.execute(sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') order by c.relname`);
  return rowsOf<{ name: string }>(result).map((row) => row.name);
}

/**
 * The old rows, read through the current schema (parley.*): all there, and nothing of Parley left in public.
 */
export async function expectOldRowsMoved(db: Database, rows: OldRows): Promise<void> {
  expect(await relationsInPublic(db)).toEqual([]);
  const [user] = await db.select().from(schema.users).where(eq(schema.users.id, rows.userId));
  expect(user).toMatchObject({ email: rows.email, passwordHash: "old-hash", fullName: "Old Owner" });
  expect(await db.select().from(schema.authSessions).where(eq(schema.authSessions.userId, rows.userId))).toHaveLength(1);
  expect(await db.select().from(schema.refreshTokens).where(eq(schema.refreshTokens.familyId, rows.sessionId))).toMatchObject([
    { tokenHash: "old-refresh-hash" },
  ]);
  expect(
    await db.select().from(schema.passwordResetTokens).where(eq(schema.passwordResetTokens.userId, rows.userId)),
  ).toMatchObject([{ tokenHash: "old-reset-hash" }]);
  expect(
    await db.select().from(schema.deletedAccounts).where(eq(schema.deletedAccounts.userId, rows.deletedUserId)),
  ).toHaveLength(1);
  const [project] = await db
    .select()
    .from(schema.projects)
    .where(and(eq(schema.projects.id, rows.projectId), eq(schema.projects.ownerId, rows.userId)));
  expect(project).toMatchObject({ name: "Old plans", systemPrompt: "Be brief." });
  const [chat] = await db.select().from(schema.chatSessions).where(eq(schema.chatSessions.id, rows.chatId));
  expect(chat).toMatchObject({ title: "Old chat", lastSeq: 2, messageCount: 2 });
  const messages = await db
    .select({ seq: schema.messages.seq, content: schema.messages.content, ownerId: schema.messages.ownerId })
    .from(schema.messages)
    .where(eq(schema.messages.sessionId, rows.chatId))
    .orderBy(asc(schema.messages.seq));
  expect(messages).toEqual([
    // owner_id came later (search): the migration copied it from each message's chat.
    { seq: 1, content: "the old secret", ownerId: rows.userId },
    { seq: 2, content: "an old reply", ownerId: rows.userId },
  ]);
}

/** The indexes and constraints moved with their tables: the case-insensitive email key, the per-chat sequence, the cascades. Deletes the old rows. */
export async function expectOldConstraintsMoved(db: Database, rows: OldRows): Promise<void> {
  await expect(db.insert(schema.users).values({ email: rows.email.toUpperCase(), passwordHash: "x" })).rejects.toThrow();
  await expect(
    db.insert(schema.messages).values({ sessionId: rows.chatId, ownerId: rows.userId, seq: 2, role: "user", content: "again" }),
  ).rejects.toThrow();
  await db.delete(schema.users).where(eq(schema.users.id, rows.userId));
  expect(await db.select().from(schema.refreshTokens).where(eq(schema.refreshTokens.userId, rows.userId))).toEqual([]);
  await db.delete(schema.projects).where(eq(schema.projects.id, rows.projectId));
  expect(await db.select().from(schema.messages).where(eq(schema.messages.sessionId, rows.chatId))).toEqual([]);
}
