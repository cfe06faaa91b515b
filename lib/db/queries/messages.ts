import "server-only";
import { and, asc, desc, eq, getTableColumns, gt, gte, lt, sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/lib/db/client";
import { insertUsageIn } from "./usage";
import { chatSessions, messages, projects, type MessageRole, type MessageRow, type MessageStatus } from "@/lib/db/schema";

/**
 * Messages. Reached only through a session the caller owns: every statement joins or filters on
 * chat_sessions.owner_id, so a message id alone never reveals anything.
 */

/** Every column but the search vector, which only search reads (as large as the text again, for nothing). */
const { searchVector: _searchVector, ...messageColumns } = getTableColumns(messages);

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
  /** USD, exact decimal string, as the provider reported it (assistant replies). */
  cost?: string | null;
  errorCode?: string | null;
  /** An assistant reply made with the user's own OpenRouter key: its usage row says so. */
  billedToUserKey?: boolean;
}

/**
 * Appends a message with the session's next sequence number. The counter update and the insert share one
 * transaction, so concurrent appends get distinct, gap-free numbers and the order never depends on clocks.
 * Undefined when the session is not the caller's. (A user's send starts with claimLeaseAndAppendUserMessage, turns.ts.)
 */
export async function appendMessage(ownerId: string, sessionId: string, message: NewMessage): Promise<MessageRow | undefined> {
  const db = await getDb();
  return db.transaction((tx) => appendIn(tx, ownerId, sessionId, message));
}

async function appendIn(
  tx: Transaction,
  ownerId: string,
  sessionId: string,
  message: NewMessage,
): Promise<MessageRow | undefined> {
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
      ownerId,
      seq: session.seq,
      role: message.role,
      content: message.content,
      parts: message.parts ?? [{ type: "text", text: message.content }],
      status: message.status ?? "complete",
      model: message.model ?? null,
      inputTokens: message.inputTokens ?? null,
      outputTokens: message.outputTokens ?? null,
      cost: message.cost ?? null,
      errorCode: message.errorCode ?? null,
      createdAt: now,
    })
    .returning(messageColumns);
  // A model's reply is also a usage event, written in this same transaction (one more statement in the commit
  // the reply already makes, after the last token: nothing is added before the first one).
  if (row && message.role === "assistant" && message.model) {
    await insertUsageIn(
      tx,
      ownerId,
      sessionId,
      session.projectId,
      {
        kind: "reply",
        model: message.model,
        inputTokens: message.inputTokens ?? null,
        outputTokens: message.outputTokens ?? null,
        cost: message.cost ?? null,
        billedToUserKey: message.billedToUserKey ?? false,
      },
      now,
    );
  }
  await tx
    .update(projects)
    .set({ lastActivityAt: now })
    .where(and(eq(projects.id, session.projectId), eq(projects.ownerId, ownerId)));
  return row;
}

export interface MessagePage {
  /** Oldest first. */
  rows: MessageRow[];
  /** True when older messages exist before the first row. */
  hasMore: boolean;
}

/** How far back `throughId` reaches: a search result older than this opens on the newest page instead. */
export const THROUGH_MAX = 1000;
/** Messages shown before the one asked for with `throughId`, so it does not open at the very top. */
const THROUGH_CONTEXT = 2;

/**
 * One page of history, newest page first, returned oldest first: `before` pages backwards from a message id.
 * Reads at most `limit + 1` rows through the (session_id, seq) index, however long the chat is.
 * `throughId` (a search result to show) makes the page reach back to that message when it is older than the
 * newest `limit` and at most THROUGH_MAX from the newest. Undefined when the session (or the `before` message
 * in it) is not the caller's.
 */
export async function listMessagesPage(
  ownerId: string,
  sessionId: string,
  options: { beforeId?: string; throughId?: string; limit: number },
): Promise<MessagePage | undefined> {
  if (options.throughId && !options.beforeId) {
    const through = await listMessagesThrough(ownerId, sessionId, options.throughId, options.limit);
    if (through) return through;
  }
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
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), beforeSeq !== undefined ? lt(messages.seq, beforeSeq) : undefined))
    .orderBy(desc(messages.seq))
    .limit(options.limit + 1);
  const hasMore = rows.length > options.limit;
  return { rows: rows.slice(0, options.limit).reverse(), hasMore };
}

/**
 * The newest messages down to `throughId` (and THROUGH_CONTEXT before it), when that is more than `limit` and
 * at most THROUGH_MAX messages; undefined otherwise (or when the message is not in the caller's session).
 */
async function listMessagesThrough(
  ownerId: string,
  sessionId: string,
  throughId: string,
  limit: number,
): Promise<MessagePage | undefined> {
  const db = await getDb();
  const [anchor] = await db
    .select({ seq: messages.seq })
    .from(messages)
    .innerJoin(chatSessions, and(eq(chatSessions.id, messages.sessionId), eq(chatSessions.ownerId, ownerId)))
    .where(and(eq(messages.id, throughId), eq(messages.sessionId, sessionId)))
    .limit(1);
  if (!anchor) return undefined;
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), gte(messages.seq, anchor.seq - THROUGH_CONTEXT)))
    .orderBy(desc(messages.seq))
    .limit(THROUGH_MAX + 1);
  if (rows.length <= limit || rows.length > THROUGH_MAX) return undefined;
  const oldest = rows.at(-1)!;
  const [before] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), lt(messages.seq, oldest.seq)))
    .limit(1);
  return { rows: rows.reverse(), hasMore: Boolean(before) };
}

/** Every message after a sequence number, oldest first (what the model sees beyond the memory summary). */
export async function listMessagesAfter(ownerId: string, sessionId: string, afterSeq: number): Promise<MessageRow[]> {
  const db = await getDb();
  const rows = await db
    .select({ message: messageColumns })
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
    .select({ message: messageColumns })
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
    .select({ message: messageColumns })
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
