import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/lib/db/client";
import { sqlStateOf } from "@/lib/db/errors";
import { chatSessions, messages, projects, type MessageRole, type MessageRow, type MessageStatus } from "@/lib/db/schema";

/**
 * Messages. Reached only through a session the caller owns: every statement joins or filters on
 * chat_sessions.owner_id, so a message id alone never reveals anything.
 */

export interface NewMessage {
  /** Chosen by the caller when the id must be known before the row exists (the UI stream carries it). */
  id?: string;
  role: MessageRole;
  content: string;
  parts?: unknown[];
  status?: MessageStatus;
  model?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  errorCode?: string | null;
}

/**
 * Appends a message with the session's next sequence number. The counter update and the insert share one
 * transaction, so concurrent appends get distinct, gap-free numbers and the order never depends on clocks.
 * Undefined when the session is not the caller's. (A user's send starts with claimLeaseAndAppendUserMessage.)
 */
export async function appendMessage(ownerId: string, sessionId: string, message: NewMessage): Promise<MessageRow | undefined> {
  const db = await getDb();
  return db.transaction((tx) => appendIn(tx, ownerId, sessionId, message));
}

async function appendIn(tx: Transaction, ownerId: string, sessionId: string, message: NewMessage): Promise<MessageRow | undefined> {
  const now = new Date();
  const [session] = await tx
    .update(chatSessions)
    .set({
      lastSeq: sql`${chatSessions.lastSeq} + 1`,
      messageCount: sql`${chatSessions.messageCount} + 1`,
      lastActivityAt: now,
      ...(message.role === "assistant" && message.inputTokens != null ? { lastInputTokens: message.inputTokens } : {}),
    })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .returning({ seq: chatSessions.lastSeq, projectId: chatSessions.projectId });
  if (!session) return undefined;
  const [row] = await tx
    .insert(messages)
    .values({
      ...(message.id ? { id: message.id } : {}),
      sessionId,
      seq: session.seq,
      role: message.role,
      content: message.content,
      parts: message.parts ?? [{ type: "text", text: message.content }],
      status: message.status ?? "complete",
      model: message.model ?? null,
      inputTokens: message.inputTokens ?? null,
      outputTokens: message.outputTokens ?? null,
      errorCode: message.errorCode ?? null,
      createdAt: now,
    })
    .returning();
  await tx.update(projects).set({ lastActivityAt: now }).where(and(eq(projects.id, session.projectId), eq(projects.ownerId, ownerId)));
  return row;
}

/**
 * Starts a turn in ONE statement (one round trip, one commit), on the path before the model is called, where
 * every round trip shows in the time to first token: takes the session's generation lease if it is free, gives
 * the user message the next sequence number and stores it, and marks the project active. Undefined, with
 * nothing written, when the lease is held, a message with this id is already stored, the session already holds
 * `maxMessages` messages, or it is not the caller's (claimRefusal then says which). The cap is a condition of
 * the same statement: no round trip of its own on the send path. The same rules as acquireGeneration + appendMessage, which the other
 * paths use.
 */
export async function claimLeaseAndAppendUserMessage(
  ownerId: string,
  sessionId: string,
  input: { generationId: string; leaseMs: number; id?: string; content: string; maxMessages?: number },
): Promise<MessageRow | undefined> {
  const db = await getDb();
  const id = input.id ?? randomUUID();
  const now = new Date();
  const at = now.toISOString();
  const expires = new Date(now.getTime() + input.leaseMs).toISOString();
  const parts = [{ type: "text", text: input.content }];
  // Parameters in the INSERT's SELECT list get no type from the target columns: hence the casts. Times travel
  // as ISO strings (raw parameters skip drizzle's column mapping).
  const result: unknown = await db
    .execute(
      sql`
    with lease as (
      update chat_sessions
         set generation_id = ${input.generationId}::uuid, generation_expires_at = ${expires}::timestamptz,
             last_seq = last_seq + 1, message_count = message_count + 1, last_activity_at = ${at}::timestamptz
       where id = ${sessionId}::uuid and owner_id = ${ownerId}::uuid
         and (generation_id is null or generation_expires_at < now())
         and not exists (select 1 from messages where messages.id = ${id}::uuid)
         ${input.maxMessages === undefined ? sql`` : sql`and message_count < ${input.maxMessages}`}
       returning id, last_seq, project_id
    ), inserted as (
      insert into messages (id, session_id, seq, role, content, parts, status, created_at)
      select ${id}::uuid, lease.id, lease.last_seq, 'user', ${input.content}::text, ${JSON.stringify(parts)}::jsonb, 'complete', ${at}::timestamptz
        from lease
      returning seq
    ), touched as (
      update projects set last_activity_at = ${at}::timestamptz where id = (select project_id from lease) and owner_id = ${ownerId}::uuid
    )
    select seq from inserted`,
    )
    // Two sends of one id at once both pass the check above; the second insert then fails on the primary key.
    .catch((error: unknown) => {
      if (sqlStateOf(error) === UNIQUE_VIOLATION) return [];
      throw error;
    });
  // postgres.js answers with the rows, PGlite with { rows }.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ seq: number | string }>;
  if (rows.length === 0) return undefined;
  return {
    id,
    sessionId,
    seq: Number(rows[0].seq),
    role: "user",
    content: input.content,
    parts,
    status: "complete",
    model: null,
    inputTokens: null,
    outputTokens: null,
    errorCode: null,
    createdAt: now,
  };
}

const UNIQUE_VIOLATION = "23505";

export type ClaimRefusal = "duplicate" | "limit" | "busy";

/**
 * Why claimLeaseAndAppendUserMessage stored nothing: asked only after a refusal, so a send that succeeds pays
 * no extra round trip. "duplicate": the message id is already stored in this session (a retry); "limit": the
 * session holds `maxMessages` messages; "busy": the lease is held (or was, a moment ago), or the session is gone.
 */
export async function claimRefusal(ownerId: string, sessionId: string, input: { id?: string; maxMessages?: number }): Promise<ClaimRefusal> {
  const db = await getDb();
  const [row] = await db
    .select({
      count: chatSessions.messageCount,
      // Spelled out: drizzle leaves a column unqualified in select fields, and "id" would mean the message's here.
      duplicate: input.id ? sql<boolean>`exists (select 1 from messages where messages.id = ${input.id}::uuid and messages.session_id = "chat_sessions"."id")` : sql<boolean>`false`,
    })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .limit(1);
  if (row?.duplicate) return "duplicate";
  if (row && input.maxMessages !== undefined && row.count >= input.maxMessages) return "limit";
  return "busy";
}

export interface MessagePage {
  /** Oldest first. */
  rows: MessageRow[];
  /** True when older messages exist before the first row. */
  hasMore: boolean;
}

/**
 * One page of history, newest page first, returned oldest first: `before` pages backwards from a message id.
 * Reads at most `limit + 1` rows through the (session_id, seq) index, however long the chat is.
 * Undefined when the session (or the `before` message in it) is not the caller's.
 */
export async function listMessagesPage(
  ownerId: string,
  sessionId: string,
  options: { beforeId?: string; limit: number },
): Promise<MessagePage | undefined> {
  const db = await getDb();
  const [owned] = await db
    .select({ id: chatSessions.id })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .limit(1);
  if (!owned) return undefined;
  let beforeSeq: number | undefined;
  if (options.beforeId) {
    const [anchor] = await db
      .select({ seq: messages.seq })
      .from(messages)
      .where(and(eq(messages.id, options.beforeId), eq(messages.sessionId, sessionId)))
      .limit(1);
    if (!anchor) return undefined;
    beforeSeq = anchor.seq;
  }
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), beforeSeq !== undefined ? lt(messages.seq, beforeSeq) : undefined))
    .orderBy(desc(messages.seq))
    .limit(options.limit + 1);
  const hasMore = rows.length > options.limit;
  return { rows: rows.slice(0, options.limit).reverse(), hasMore };
}

/** Every message after a sequence number, oldest first (what the model sees beyond the memory summary). */
export async function listMessagesAfter(ownerId: string, sessionId: string, afterSeq: number): Promise<MessageRow[]> {
  const db = await getDb();
  const rows = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(chatSessions, and(eq(chatSessions.id, messages.sessionId), eq(chatSessions.ownerId, ownerId)))
    .where(and(eq(messages.sessionId, sessionId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq));
  return rows.map((r) => r.message);
}

/** One message of the caller's session by id. */
export async function getMessage(ownerId: string, sessionId: string, messageId: string): Promise<MessageRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(chatSessions, and(eq(chatSessions.id, messages.sessionId), eq(chatSessions.ownerId, ownerId)))
    .where(and(eq(messages.sessionId, sessionId), eq(messages.id, messageId)))
    .limit(1);
  return row?.message;
}

/** The newest message of a session (regenerate replaces the last reply). */
export async function getLastMessage(ownerId: string, sessionId: string): Promise<MessageRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(chatSessions, and(eq(chatSessions.id, messages.sessionId), eq(chatSessions.ownerId, ownerId)))
    .where(eq(messages.sessionId, sessionId))
    .orderBy(desc(messages.seq))
    .limit(1);
  return row?.message;
}

/**
 * Removes one message of the caller's session (only regenerate uses it, on the reply it replaces), keeping the
 * session's count right. Memory never calls this.
 */
export async function deleteMessage(ownerId: string, sessionId: string, messageId: string): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [session] = await tx
      .select({ id: chatSessions.id })
      .from(chatSessions)
      .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
      .for("update")
      .limit(1);
    if (!session) return false;
    const deleted = await tx
      .delete(messages)
      .where(and(eq(messages.id, messageId), eq(messages.sessionId, sessionId)))
      .returning({ id: messages.id });
    if (deleted.length === 0) return false;
    await tx
      .update(chatSessions)
      .set({ messageCount: sql`greatest(${chatSessions.messageCount} - 1, 0)` })
      .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)));
    return true;
  });
}
