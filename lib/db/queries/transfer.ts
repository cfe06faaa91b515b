import "server-only";
import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import { keyset, type KeysetCursor, type KeysetPage } from "./keyset";
import { getDb, type Transaction } from "@/lib/db/client";
import { inActivePath } from "./messages";
import { LimitReachedError } from "@/lib/db/errors";
import {
  chatSessions,
  messages,
  messageSummaries,
  projects,
  type ChatSessionRow,
  type MessageRow,
  type ProjectRow,
} from "@/lib/db/schema";

/**
 * Export and import: paged reads of everything a user owns, and one batched write of a whole import. Every
 * statement is owner-scoped like the rest of lib/db/queries. Pages go by creation time (keyset.ts), which
 * nothing changes, so a chat that gets a message during an export is neither skipped nor written twice.
 */

export async function listProjectsForExport(
  ownerId: string,
  options: { limit: number; cursor?: KeysetCursor },
): Promise<KeysetPage<ProjectRow>> {
  const db = await getDb();
  const page = keyset({ at: projects.createdAt, id: projects.id }, options);
  const rows = await db
    .select({ project: projects, exactAt: page.exactAt })
    .from(projects)
    .where(and(eq(projects.ownerId, ownerId), page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const result = page.page(rows, (row) => ({ at: row.exactAt, id: row.project.id }));
  return { ...result, rows: result.rows.map((row) => row.project) };
}

export async function listSessionsForExport(
  ownerId: string,
  projectId: string,
  options: { limit: number; cursor?: KeysetCursor },
): Promise<KeysetPage<ChatSessionRow>> {
  const db = await getDb();
  const page = keyset({ at: chatSessions.createdAt, id: chatSessions.id }, options);
  const rows = await db
    .select({ session: chatSessions, exactAt: page.exactAt })
    .from(chatSessions)
    .where(and(eq(chatSessions.ownerId, ownerId), eq(chatSessions.projectId, projectId), page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const result = page.page(rows, (row) => ({ at: row.exactAt, id: row.session.id }));
  return { ...result, rows: result.rows.map((row) => row.session) };
}

/**
 * Up to `limit` messages of the chat's active path (the branch it shows) after `afterSeq`, oldest first: a keyset
 * on seq, which grows along a path.
 */
export async function listMessagesForExport(
  ownerId: string,
  sessionId: string,
  afterSeq: number,
  limit: number,
): Promise<MessageRow[]> {
  const db = await getDb();
  const rows = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(chatSessions, and(eq(chatSessions.id, messages.sessionId), eq(chatSessions.ownerId, ownerId)))
    .where(and(eq(messages.sessionId, sessionId), gt(messages.seq, afterSeq), inActivePath(ownerId, sessionId)))
    .orderBy(asc(messages.seq))
    .limit(limit);
  return rows.map((r) => r.message);
}

export type ImportedProjectRow = Omit<typeof projects.$inferInsert, "ownerId"> & { id: string };
export type ImportedSessionRow = Omit<typeof chatSessions.$inferInsert, "ownerId"> & { id: string };
/** A message to import: its owner is the importing user's, set by insertImport. */
export type ImportedMessageRow = Omit<typeof messages.$inferInsert, "ownerId">;

export interface ImportRows {
  /** Set when the chats go into one existing project of the caller's (it must be theirs). */
  intoProjectId?: string;
  projects: ImportedProjectRow[];
  sessions: ImportedSessionRow[];
  messages: ImportedMessageRow[];
}

/**
 * Rows per INSERT. Projects and chats go through drizzle's multi-row VALUES (PostgreSQL takes at most 65,535
 * parameters a statement). Messages, the bulk, go as one JSON parameter per batch expanded by
 * json_to_recordset: drizzle builds a 1,000-row VALUES statement slowly and the server parses 13,000
 * parameters, which made a 100,000-message import take ~22 s; this way it is a few seconds (README, Export).
 */
const BATCH = { projects: 200, sessions: 500, messages: 5_000 };

/** One batch of messages as a single statement, the same on postgres.js and PGlite (one text parameter). */
function insertMessagesSql(ownerId: string, batch: ImportedMessageRow[]) {
  const records = batch.map((m) => ({
    session_id: m.sessionId,
    seq: m.seq,
    role: m.role,
    content: m.content,
    parts: m.parts ?? [],
    status: m.status ?? "complete",
    model: m.model ?? null,
    input_tokens: m.inputTokens ?? null,
    output_tokens: m.outputTokens ?? null,
    cost: m.cost ?? null,
    error_code: m.errorCode ?? null,
    created_at: m.createdAt instanceof Date ? m.createdAt.toISOString() : null,
  }));
  return sql`insert into ${messages} (session_id, owner_id, seq, role, content, parts, status, model, input_tokens, output_tokens, cost, error_code, created_at)
    select session_id, ${ownerId}::uuid, seq, role, content, parts, status, model, input_tokens, output_tokens, cost, error_code, coalesce(created_at, now())
    from json_to_recordset(${JSON.stringify(records)}::json) as r(session_id uuid, seq integer, role text, content text,
      parts jsonb, status text, model text, input_tokens integer, output_tokens integer, cost numeric, error_code text, created_at timestamptz)`;
}

/**
 * An imported chat is one path (an export carries the active path): each message follows the one before it, the
 * last is the active leaf, and the summary it came with covers that path's prefix through its last message at or
 * before the summary's seq. The same rule as migration 0010 gave the chats stored before messages had parents.
 */
async function linkImportedChats(tx: Transaction, ownerId: string, sessionIds: string[]): Promise<void> {
  const ids = sql`${`{${sessionIds.join(",")}}`}::uuid[]`;
  await tx.execute(sql`update ${messages} as m set parent_id = ordered.previous_id
      from (select id, lag(id) over (partition by session_id order by seq) as previous_id from ${messages}
             where owner_id = ${ownerId}::uuid and session_id = any(${ids})) as ordered
     where m.id = ordered.id and ordered.previous_id is not null`);
  await tx.execute(sql`update ${chatSessions} as s set active_leaf_id = (
      select m.id from ${messages} as m where m.session_id = s.id order by m.seq desc limit 1)
     where s.owner_id = ${ownerId}::uuid and s.id = any(${ids})`);
  await tx.execute(sql`insert into ${messageSummaries} (through_message_id, owner_id, session_id, summary, through_seq, covered_messages)
      select last_covered.id, s.owner_id, s.id, s.summary, last_covered.seq, s.summary_covered_messages
        from ${chatSessions} as s
       cross join lateral (select m.id, m.seq from ${messages} as m
                            where m.session_id = s.id and m.seq <= s.summary_through_seq order by m.seq desc limit 1) as last_covered
       where s.owner_id = ${ownerId}::uuid and s.id = any(${ids}) and s.summary is not null and s.summary_through_seq > 0`);
}

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Writes a whole import in one transaction: all of it or nothing. Undefined when `intoProjectId` is not the
 * caller's. Quotas are checked inside the transaction (the target project's row is locked, as createSession
 * does) and throw LimitReachedError before anything is written.
 */
export async function insertImport(
  ownerId: string,
  rows: ImportRows,
  limits: { projectsPerUser: number; sessionsPerProject: number },
): Promise<{ projectIds: string[] } | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    if (rows.intoProjectId) {
      const [project] = await tx
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.id, rows.intoProjectId), eq(projects.ownerId, ownerId)))
        .for("update")
        .limit(1);
      if (!project) return undefined;
      const [counted] = await tx
        .select({ n: count() })
        .from(chatSessions)
        .where(and(eq(chatSessions.projectId, project.id), eq(chatSessions.ownerId, ownerId)));
      if ((counted?.n ?? 0) + rows.sessions.length > limits.sessionsPerProject)
        throw new LimitReachedError("sessions", limits.sessionsPerProject);
    }
    if (rows.projects.length > 0) {
      const [counted] = await tx.select({ n: count() }).from(projects).where(eq(projects.ownerId, ownerId));
      if ((counted?.n ?? 0) + rows.projects.length > limits.projectsPerUser)
        throw new LimitReachedError("projects", limits.projectsPerUser);
    }
    for (const batch of chunks(rows.projects, BATCH.projects))
      await tx.insert(projects).values(batch.map((row) => ({ ...row, ownerId })));
    for (const batch of chunks(rows.sessions, BATCH.sessions))
      await tx.insert(chatSessions).values(batch.map((row) => ({ ...row, ownerId })));
    for (const batch of chunks(rows.messages, BATCH.messages)) await tx.execute(insertMessagesSql(ownerId, batch));
    if (rows.sessions.length > 0)
      await linkImportedChats(
        tx,
        ownerId,
        rows.sessions.map((s) => s.id),
      );
    if (rows.intoProjectId && rows.sessions.length > 0) {
      const latest = rows.sessions.reduce<Date>(
        (max, s) => (s.lastActivityAt && s.lastActivityAt > max ? s.lastActivityAt : max),
        new Date(0),
      );
      await tx
        .update(projects)
        .set({ lastActivityAt: sql`greatest(${projects.lastActivityAt}, ${latest.toISOString()}::timestamptz)` })
        .where(and(eq(projects.id, rows.intoProjectId), eq(projects.ownerId, ownerId)));
    }
    return { projectIds: rows.intoProjectId ? [rows.intoProjectId] : rows.projects.map((p) => p.id) };
  });
}
