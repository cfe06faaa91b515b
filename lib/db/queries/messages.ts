import "server-only";
import { and, asc, desc, eq, getTableColumns, lt, sql, type SQL } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { getDb, type Database, type Transaction } from "@/lib/db/client";
import { insertUsageIn } from "./usage";
import {
  chatSessions,
  messages,
  messageSummaries,
  projects,
  type MessageRole,
  type MessageRow,
  type MessageStatus,
} from "@/lib/db/schema";

/**
 * Messages. Reached only through a session the caller owns: every statement joins or filters on
 * chat_sessions.owner_id, so a message id alone never reveals anything.
 *
 * Messages form a tree (parent_id); a chat shows and continues its ACTIVE PATH, the active leaf
 * (chat_sessions.active_leaf_id) and its ancestors. A child is always stored after its parent, so along a path
 * seq grows: a path read newest first is a walk up the parent pointers (a recursive CTE, one primary-key lookup
 * per step, never a scan of the other branches).
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
  /**
   * The message this one follows (a reply: its question). It becomes the active leaf only if the active leaf is
   * still this parent (the user may have moved to another branch meanwhile). Absent: the active leaf, which
   * this message then replaces.
   */
  parentId?: string | null;
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
  const id = message.id ?? randomUUID();
  let parentId = message.parentId;
  if (parentId === undefined) {
    // Locked, so that no other append can read the same leaf and make a sibling of what was meant as a child.
    const [current] = await tx
      .select({ leaf: chatSessions.activeLeafId })
      .from(chatSessions)
      .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
      .for("update");
    if (!current) return undefined;
    parentId = current.leaf;
  }
  const [session] = await tx
    .update(chatSessions)
    .set({
      lastSeq: sql`${chatSessions.lastSeq} + 1`,
      messageCount: sql`${chatSessions.messageCount} + 1`,
      lastActivityAt: now,
      // In the reply's own statement (no round trip): the reply extends the path only if it still ends at its question.
      activeLeafId:
        parentId === null
          ? sql`case when ${chatSessions.activeLeafId} is null then ${id}::uuid else ${chatSessions.activeLeafId} end`
          : sql`case when ${chatSessions.activeLeafId} = ${parentId}::uuid then ${id}::uuid else ${chatSessions.activeLeafId} end`,
      ...(message.role === "assistant" && message.inputTokens != null ? { lastInputTokens: message.inputTokens } : {}),
    })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .returning({ seq: chatSessions.lastSeq, projectId: chatSessions.projectId });
  if (!session) return undefined;
  const [row] = await tx
    .insert(messages)
    .values({
      id,
      sessionId,
      ownerId,
      parentId,
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

/** A message of the active path with its versions: the ids of its siblings and itself, oldest first. */
export type PathMessageRow = MessageRow & { versionIds: string[] };

export interface MessagePage {
  /** Oldest first. */
  rows: PathMessageRow[];
  /** True when older messages exist before the first row. */
  hasMore: boolean;
}

/** How far back `throughId` reaches: a search result older than this opens on the newest page instead. */
export const THROUGH_MAX = 1000;
/** Messages shown before the one asked for with `throughId`, so it does not open at the very top. */
const THROUGH_CONTEXT = 2;

/** The caller's active leaf of a session, as an SQL expression (null when the session is not the caller's). */
const activeLeafOf = (ownerId: string, sessionId: string) =>
  sql`(select ${chatSessions.activeLeafId} from ${chatSessions} where ${chatSessions.id} = ${sessionId}::uuid and ${chatSessions.ownerId} = ${ownerId}::uuid)`;

/**
 * The ids of a path read upwards from `start` (itself at depth 1), at most `maxDepth` of them: a recursive walk
 * up the parent pointers, every step inside the caller's session. `start` is an SQL expression for one id.
 */
function pathUp(ownerId: string, sessionId: string, start: SQL, maxDepth: number): SQL {
  return sql`with recursive up(id, parent_id, depth) as (
      select m.id, m.parent_id, 1 from ${messages} m
       where m.id = ${start} and m.session_id = ${sessionId}::uuid and m.owner_id = ${ownerId}::uuid
      union all
      select m.id, m.parent_id, up.depth + 1 from ${messages} m join up on m.id = up.parent_id
       where m.session_id = ${sessionId}::uuid and up.depth < ${maxDepth}
    ) select id from up`;
}

/**
 * A message's versions: the ids of the messages with the same parent (itself among them), oldest first. Two
 * branches of one query so that each uses (session_id, parent_id, seq), the root's (null parent) too.
 */
// Spelled out: drizzle leaves a column unqualified in select fields, where it would mean the subquery's own.
const versionIdsOf = () =>
  sql<string[]>`(select coalesce(json_agg(v.id order by v.seq), '[]'::json) from (
      select s.id, s.seq from ${messages} s where s.session_id = "messages"."session_id" and s.parent_id = "messages"."parent_id"
      union all
      select s.id, s.seq from ${messages} s where s.session_id = "messages"."session_id" and s.parent_id is null and "messages"."parent_id" is null
    ) v)`.mapWith((value: unknown) => (typeof value === "string" ? JSON.parse(value) : value) as string[]);

/** The rows of a set of path ids, newest first, with their versions. */
async function pathRows(ids: SQL, limit: number): Promise<PathMessageRow[]> {
  const db = await getDb();
  return db
    .select({ ...messageColumns, versionIds: versionIdsOf() })
    .from(messages)
    .where(sql`${messages.id} in (${ids})`)
    .orderBy(desc(messages.seq))
    .limit(limit);
}

async function ownsSession(ownerId: string, sessionId: string): Promise<boolean> {
  const db = await getDb();
  const [owned] = await db
    .select({ id: chatSessions.id })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .limit(1);
  return Boolean(owned);
}

/**
 * One page of the ACTIVE PATH, newest page first, returned oldest first: `before` pages backwards from a message
 * id (its ancestors: the page stays on the path it came from even if the chat moved to another branch since).
 * Reads at most `limit + 1` rows, one step up the tree each, however long the chat or its other branches.
 * `throughId` (a search result to show) makes the page reach back to that message when it is on the path, older
 * than the newest `limit` and at most THROUGH_MAX from the newest. Undefined when the session (or the `before`
 * message in it) is not the caller's.
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
  if (!(await ownsSession(ownerId, sessionId))) return undefined;
  let rows: PathMessageRow[];
  if (options.beforeId) {
    // The anchor itself is depth 1 and not part of the page.
    const walked = await pathRows(
      pathUp(ownerId, sessionId, sql`${options.beforeId}::uuid`, options.limit + 2),
      options.limit + 2,
    );
    if (walked[0]?.id !== options.beforeId) return undefined;
    rows = walked.slice(1);
  } else {
    rows = await pathRows(pathUp(ownerId, sessionId, activeLeafOf(ownerId, sessionId), options.limit + 1), options.limit + 1);
  }
  const hasMore = rows.length > options.limit;
  return { rows: rows.slice(0, options.limit).reverse(), hasMore };
}

/**
 * The newest messages of the active path down to `throughId` (and THROUGH_CONTEXT before it), when that is more
 * than `limit` and at most THROUGH_MAX messages; undefined otherwise (or when the message is not on the path).
 */
async function listMessagesThrough(
  ownerId: string,
  sessionId: string,
  throughId: string,
  limit: number,
): Promise<MessagePage | undefined> {
  const rows = await pathRows(pathUp(ownerId, sessionId, activeLeafOf(ownerId, sessionId), THROUGH_MAX + 1), THROUGH_MAX + 1);
  const at = rows.findIndex((row) => row.id === throughId);
  if (at < 0) return undefined;
  const end = Math.min(rows.length, at + 1 + THROUGH_CONTEXT);
  if (end <= limit || end > THROUGH_MAX) return undefined;
  return { rows: rows.slice(0, end).reverse(), hasMore: rows.length > end || rows.at(end - 1)?.parentId != null };
}

/** What the model sees of a path: the deepest summary on it (if memory asks for one) and the messages after it. */
export interface PathContext {
  /** The last message of the path read (the leaf it was read from); undefined for an empty path. */
  leafId: string | undefined;
  summary: { text: string; throughMessageId: string; throughSeq: number; coveredMessages: number } | null;
  /** The path's messages after the summary (all of them without one), oldest first. */
  messages: MessageRow[];
}

/**
 * The path ending at `leafId` (default: the active leaf) as the model sees it. With `withSummary`, the path stops
 * at its deepest message that has a summary (message_summaries): a summary covers a prefix of ONE path, so only a
 * summary of this path's own prefix can be found this way, and only what it leaves out is read.
 * Empty when the session or the leaf is not the caller's.
 *
 * This read runs beside every send's claim, so it takes the cheap way first (#15: the recursive walk alone added
 * ~2 ms to the claim phase): one range of sequence numbers, from the session's deepest summary at or before the
 * leaf (any branch's) to the leaf, walked up the parent pointers in memory. A chat that never branched, and most
 * that did, has its whole path in that range. Only when the walk leaves the range (a parent before it: the
 * deepest summary lies on another branch) does the recursive walk in SQL read the path.
 */
export async function readPathContext(
  ownerId: string,
  sessionId: string,
  options: { leafId?: string | null; withSummary: boolean },
  executor?: Database | Transaction,
): Promise<PathContext> {
  const db = executor ?? (await getDb());
  const start = options.leafId ? sql`${options.leafId}::uuid` : activeLeafOf(ownerId, sessionId);
  const leafSeq = sql`(select lm.seq from ${messages} lm
      where lm.id = ${start} and lm.session_id = ${sessionId}::uuid and lm.owner_id = ${ownerId}::uuid)`;
  const from = options.withSummary
    ? sql`coalesce((select max(${messageSummaries.throughSeq}) from ${messageSummaries}
        where ${messageSummaries.sessionId} = ${sessionId}::uuid and ${messageSummaries.throughSeq} <= ${leafSeq}), 0)`
    : sql`0`;
  const range = await pathContextRows(
    db,
    ownerId,
    options.withSummary,
    sql`${messages.sessionId} = ${sessionId}::uuid
      and ${messages.seq} <= ${leafSeq} and ${messages.seq} >= ${from}`,
  );
  const path = walkUpInMemory(range, options.withSummary);
  if (path) return pathContextOf(path);
  const stop = options.withSummary
    ? sql`not exists (select 1 from ${messageSummaries} ms where ms.through_message_id = up.id)`
    : sql`true`;
  const walked = await pathContextRows(
    db,
    ownerId,
    options.withSummary,
    sql`${messages.id} in (with recursive up(id, parent_id) as (
          select m.id, m.parent_id from ${messages} m
           where m.id = ${start} and m.session_id = ${sessionId}::uuid and m.owner_id = ${ownerId}::uuid
          union all
          select m.id, m.parent_id from ${messages} m join up on m.id = up.parent_id
           where m.session_id = ${sessionId}::uuid and ${stop}
        ) select id from up)`,
  );
  return pathContextOf(walked);
}

type PathContextRow = { message: MessageRow; summary: string | null; coveredMessages: number | null };

/** The caller's messages matching `where`, each with its summary (when asked for), oldest first. */
function pathContextRows(
  db: Database | Transaction,
  ownerId: string,
  withSummary: boolean,
  where: SQL,
): Promise<PathContextRow[]> {
  return db
    .select({
      message: messageColumns,
      summary: messageSummaries.summary,
      coveredMessages: messageSummaries.coveredMessages,
    })
    .from(messages)
    .innerJoin(chatSessions, and(eq(chatSessions.id, messages.sessionId), eq(chatSessions.ownerId, ownerId)))
    .leftJoin(messageSummaries, withSummary ? eq(messageSummaries.throughMessageId, messages.id) : sql`false`)
    .where(where)
    .orderBy(asc(messages.seq));
}

/**
 * The path up from the newest of `rows` (the leaf: the range ends at it), through parent pointers, to the root or
 * (with `withSummary`) to the first message with a summary; oldest first. Undefined when a parent is not among
 * `rows`: the range did not hold the whole path.
 */
function walkUpInMemory(rows: PathContextRow[], withSummary: boolean): PathContextRow[] | undefined {
  const leaf = rows.at(-1);
  if (!leaf) return [];
  const byId = new Map(rows.map((row) => [row.message.id, row]));
  const path = [leaf];
  for (let at = leaf; !(withSummary && at.summary != null) && at.message.parentId;) {
    const parent = byId.get(at.message.parentId);
    if (!parent) return undefined;
    path.push(parent);
    at = parent;
  }
  return path.reverse();
}

function pathContextOf(rows: PathContextRow[]): PathContext {
  const first = rows[0];
  const summarized = first?.summary != null ? first : undefined;
  return {
    leafId: rows.at(-1)?.message.id,
    summary: summarized
      ? {
          text: summarized.summary!,
          throughMessageId: summarized.message.id,
          throughSeq: summarized.message.seq,
          coveredMessages: summarized.coveredMessages ?? 0,
        }
      : null,
    messages: (summarized ? rows.slice(1) : rows).map((r) => r.message),
  };
}

/**
 * SQL true when the message `messageId` (of seq `seq`) is on its session's active path: a walk up from the
 * active leaf that stops once past that seq, so a recent message costs a few steps. For search and export.
 */
export function onActivePath(ownerId: string, sessionId: SQL, messageId: SQL, seq: SQL): SQL {
  // Aliases of their own: the arguments may name the caller's `m`, which a plain `m` here would shadow.
  return sql`exists (with recursive path_up(id, parent_id, seq) as (
      select pm.id, pm.parent_id, pm.seq from ${messages} pm
       where pm.id = (select pcs.active_leaf_id from ${chatSessions} pcs where pcs.id = ${sessionId} and pcs.owner_id = ${ownerId}::uuid)
      union all
      select pm.id, pm.parent_id, pm.seq from ${messages} pm join path_up on pm.id = path_up.parent_id where path_up.seq > ${seq}
    ) select 1 from path_up where path_up.id = ${messageId})`;
}

/** Every message of the active path, oldest first (without memory: what the model would see in full). */
export async function listActivePath(ownerId: string, sessionId: string): Promise<MessageRow[]> {
  return (await readPathContext(ownerId, sessionId, { withSummary: false })).messages;
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

/** The last message of the active path (Stop looks at it; regenerate answers its question again). */
export async function getActiveLeaf(ownerId: string, sessionId: string): Promise<MessageRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ message: messageColumns })
    .from(messages)
    .innerJoin(chatSessions, and(eq(chatSessions.id, messages.sessionId), eq(chatSessions.ownerId, ownerId)))
    .where(and(eq(messages.sessionId, sessionId), eq(messages.id, chatSessions.activeLeafId)))
    .limit(1);
  return row?.message;
}

/**
 * Every message of a session, tree and all (`?view=tree`), newest first by seq, `before` paging back from a
 * message id: the (session_id, seq) index, at most `limit + 1` rows. Undefined when not the caller's.
 */
export async function listTreePage(
  ownerId: string,
  sessionId: string,
  options: { beforeId?: string; limit: number },
): Promise<MessagePage | undefined> {
  if (!(await ownsSession(ownerId, sessionId))) return undefined;
  const db = await getDb();
  let beforeSeq: number | undefined;
  if (options.beforeId) {
    const anchor = await getMessage(ownerId, sessionId, options.beforeId);
    if (!anchor) return undefined;
    beforeSeq = anchor.seq;
  }
  const rows = await db
    .select({ ...messageColumns, versionIds: versionIdsOf() })
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), beforeSeq !== undefined ? lt(messages.seq, beforeSeq) : undefined))
    .orderBy(desc(messages.seq))
    .limit(options.limit + 1);
  const hasMore = rows.length > options.limit;
  return { rows: rows.slice(0, options.limit).reverse(), hasMore };
}

/**
 * Moves the chat to the branch through `messageId` (any message of the session): the active leaf becomes the
 * newest message under it (the highest seq below it is always a leaf: a child is stored after its parent), so
 * choosing a version shows where that branch was last continued. The summary in use moves with the path, in the
 * same transaction. The new leaf, or undefined when the message is not in the caller's session.
 */
export async function selectBranch(ownerId: string, sessionId: string, messageId: string): Promise<string | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ id: chatSessions.id })
      .from(chatSessions)
      .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
      .for("update");
    if (!locked) return undefined;
    const [leaf] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(
        sql`${messages.id} in (with recursive down(id) as (
            select m.id from ${messages} m where m.id = ${messageId}::uuid and m.session_id = ${sessionId}::uuid and m.owner_id = ${ownerId}::uuid
            union all
            select m.id from ${messages} m join down on m.parent_id = down.id where m.session_id = ${sessionId}::uuid
          ) select id from down)`,
      )
      .orderBy(desc(messages.seq))
      .limit(1);
    if (!leaf) return undefined;
    await moveActiveLeafIn(tx, ownerId, sessionId, leaf.id);
    return leaf.id;
  });
}

/**
 * Sets the active leaf and the summary in use to the deepest summary on the new path (none if it has none): a
 * path change other than growing at its end (a branch chosen, an edit, a regenerate) must never leave the chat
 * showing a summary of messages that are not on its path.
 */
export async function moveActiveLeafIn(
  tx: Database | Transaction,
  ownerId: string,
  sessionId: string,
  leafId: string | null,
): Promise<void> {
  const path = leafId ? await readPathContext(ownerId, sessionId, { leafId, withSummary: true }, tx) : { summary: null };
  const summary = path.summary;
  await tx
    .update(chatSessions)
    .set({
      activeLeafId: leafId,
      summary: summary?.text ?? null,
      summaryThroughSeq: summary?.throughSeq ?? 0,
      summaryCoveredMessages: summary?.coveredMessages ?? 0,
    })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)));
}

/**
 * SQL true when the message is on its session's active path, for a whole page of one session's messages: the
 * path is walked once (up from the active leaf), not once per row. For the export.
 */
export function inActivePath(ownerId: string, sessionId: string): SQL {
  return sql`${messages.id} in (with recursive up(id, parent_id) as (
      select m.id, m.parent_id from ${messages} m
       where m.id = ${activeLeafOf(ownerId, sessionId)} and m.session_id = ${sessionId}::uuid
      union all
      select m.id, m.parent_id from ${messages} m join up on m.id = up.parent_id where m.session_id = ${sessionId}::uuid
    ) select id from up)`;
}
