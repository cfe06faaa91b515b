import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/lib/db/client";
import { BudgetExceededError, LimitReachedError, sqlStateOf } from "@/lib/db/errors";
import { rowsOf } from "@/lib/db/rows";
import { chatSessions, messages, projects, type ChatSessionRow, type MessageRow } from "@/lib/db/schema";
import { withinBudget } from "./accounts";
import { countSessions, lockProjectForNewSession } from "./sessions";

/**
 * Starting a turn of a chat: the statement on the send path before the model is called, and, only when it
 * refused, why. (Messages otherwise live in messages.ts.)
 */

/**
 * Starts a turn in ONE statement (one round trip, one commit), on the path before the model is called, where
 * every round trip shows in the time to first token: takes the session's generation lease if it is free, gives
 * the user message the next sequence number and stores it, and marks the project active. Undefined, with
 * nothing written, when the lease is held, a message with this id is already stored, the session already holds
 * `maxMessages` messages, or it is not the caller's (claimRefusal then says which). The cap is a condition of
 * the same statement: no round trip of its own on the send path. The same rules as acquireGeneration +
 * appendMessage, which the other paths use.
 */
export interface UserTurnInput {
  generationId: string;
  leaseMs: number;
  id?: string;
  content: string;
  maxMessages?: number;
  /**
   * Where the message goes in the tree. Absent: after the active leaf (a plain send). `parentId`: after that
   * message of the session. `editOf`: a new version of that user message of the session (a sibling: same parent).
   * Either way the new message becomes the active leaf.
   */
  place?: { parentId: string } | { editOf: string };
}

/** The parent a placed message gets, and the condition that the place exists in the session. */
function placeOf(sessionId: string, place: UserTurnInput["place"]): { parent: SQL; exists: SQL } {
  if (!place) {
    // The active leaf as this statement's snapshot saw it; the lease's UPDATE re-reads the row it locks, and the
    // condition there makes a leaf moved meanwhile (a reply stored a moment ago) refuse rather than fork.
    return { parent: sql`(select leaf from prev)`, exists: sql`and active_leaf_id is not distinct from (select leaf from prev)` };
  }
  if ("parentId" in place) {
    return {
      parent: sql`${place.parentId}::uuid`,
      exists: sql`and exists (select 1 from ${messages} where messages.id = ${place.parentId}::uuid and messages.session_id = ${sessionId}::uuid)`,
    };
  }
  return {
    parent: sql`(select messages.parent_id from ${messages} where messages.id = ${place.editOf}::uuid and messages.session_id = ${sessionId}::uuid)`,
    exists: sql`and exists (select 1 from ${messages} where messages.id = ${place.editOf}::uuid and messages.session_id = ${sessionId}::uuid and messages.role = 'user')`,
  };
}

export async function claimLeaseAndAppendUserMessage(
  ownerId: string,
  sessionId: string,
  input: UserTurnInput,
  /** A transaction to run in (startChatWithFirstMessage's); by default its own statement. */
  executor?: Database | Transaction,
): Promise<MessageRow | undefined> {
  const db = executor ?? (await getDb());
  const id = input.id ?? randomUUID();
  const place = placeOf(sessionId, input.place);
  const now = new Date();
  const at = now.toISOString();
  const expires = new Date(now.getTime() + input.leaseMs).toISOString();
  const parts = [{ type: "text", text: input.content }];
  // Parameters in the INSERT's SELECT list get no type from the target columns: hence the casts. Times travel
  // as ISO strings (raw parameters skip drizzle's column mapping). The tables are drizzle's, which name their
  // schema ("parley"."messages"); columns are spelled out, qualified by the bare table name where it matters.
  const result: unknown = await db
    .execute(
      sql`
    with prev as (
      select active_leaf_id as leaf from ${chatSessions} where id = ${sessionId}::uuid and owner_id = ${ownerId}::uuid
    ), lease as (
      update ${chatSessions}
         set generation_id = ${input.generationId}::uuid, generation_expires_at = ${expires}::timestamptz,
             last_seq = last_seq + 1, message_count = message_count + 1, last_activity_at = ${at}::timestamptz,
             active_leaf_id = ${id}::uuid
       where id = ${sessionId}::uuid and owner_id = ${ownerId}::uuid
         and (generation_id is null or generation_expires_at < now())
         and not exists (select 1 from ${messages} where messages.id = ${id}::uuid)
         ${input.maxMessages === undefined ? sql`` : sql`and message_count < ${input.maxMessages}`}
         and ${withinBudget(ownerId)}
         ${place.exists}
       returning id, last_seq, project_id
    ), inserted as (
      insert into ${messages} (id, session_id, owner_id, parent_id, seq, role, content, parts, status, created_at)
      select ${id}::uuid, lease.id, ${ownerId}::uuid, ${place.parent}, lease.last_seq, 'user', ${input.content}::text, ${JSON.stringify(parts)}::jsonb, 'complete', ${at}::timestamptz
        from lease
      returning seq, parent_id
    ), touched as (
      update ${projects} set last_activity_at = ${at}::timestamptz where id = (select project_id from lease) and owner_id = ${ownerId}::uuid
    )
    select seq, parent_id from inserted`,
    )
    // Two sends of one id at once both pass the check above; the second insert then fails on the primary key.
    .catch((error: unknown) => {
      if (sqlStateOf(error) === UNIQUE_VIOLATION) return [];
      throw error;
    });
  const [inserted] = rowsOf<{ seq: number | string; parent_id: string | null }>(result);
  if (!inserted) return undefined;
  return {
    id,
    sessionId,
    ownerId,
    parentId: inserted.parent_id,
    seq: Number(inserted.seq),
    role: "user",
    content: input.content,
    parts,
    status: "complete",
    model: null,
    inputTokens: null,
    cost: null,
    outputTokens: null,
    errorCode: null,
    createdAt: now,
  };
}

const UNIQUE_VIOLATION = "23505";

/**
 * The first message of a chat the chat screen has not stored yet (#14: "New chat" stores nothing until then):
 * creates the chat with the id given and claims its first turn in ONE transaction, so no empty chat is ever left,
 * whatever refuses the send. Answers
 * - the chat and its user message;
 * - "taken" when a chat with this id already exists (this caller's first send arriving twice, or an id we may not
 *   name): nothing was written, the caller looks the chat up as usual;
 * - undefined when the project is not the caller's.
 * Throws LimitReachedError (nothing written) when the project already holds `maxSessions` chats. The project's
 * row lock orders concurrent creations: a duplicate first send waits for the first and then finds the id taken.
 */
export async function startChatWithFirstMessage(
  ownerId: string,
  chat: { id: string; projectId: string; title: string; model: string; maxSessions?: number },
  turn: UserTurnInput,
): Promise<{ session: ChatSessionRow; userMessage: MessageRow } | "taken" | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const projectId = await lockProjectForNewSession(tx, ownerId, chat.projectId);
    if (!projectId) return undefined;
    const [session] = await tx
      .insert(chatSessions)
      .values({ id: chat.id, ownerId, projectId, title: chat.title, model: chat.model })
      .onConflictDoNothing({ target: chatSessions.id })
      .returning();
    if (!session) return "taken";
    // Counted with the new row, after the insert: an id already taken answers "taken" above, never the cap.
    if (chat.maxSessions !== undefined && (await countSessions(tx, ownerId, projectId)) > chat.maxSessions) {
      throw new LimitReachedError("sessions", chat.maxSessions);
    }
    const userMessage = await claimLeaseAndAppendUserMessage(ownerId, session.id, turn, tx);
    // A chat made a moment ago in this transaction has no lease and no messages: only the budget can refuse
    // it (asked only then); anything else is a bug. Throwing rolls the chat back with it.
    if (!userMessage) {
      if (await isOverBudget(ownerId, tx)) throw new BudgetExceededError();
      throw new Error("the first turn of a new chat was refused");
    }
    return { session, userMessage };
  });
}

export type ClaimRefusal = "duplicate" | "limit" | "busy" | "budget" | "no_place";

/** Whether the owner's monthly budget is used up (the claim's own condition, asked on its own after a refusal). */
export async function isOverBudget(ownerId: string, executor?: Database | Transaction): Promise<boolean> {
  const db = executor ?? (await getDb());
  const result: unknown = await db.execute(sql`select not (${withinBudget(ownerId)}) as over`);
  return rowsOf<{ over: boolean }>(result)[0]?.over === true;
}

/**
 * Why claimLeaseAndAppendUserMessage stored nothing: asked only after a refusal, so a send that succeeds pays
 * no extra round trip. "duplicate": the message id is already stored in this session (a retry); "limit": the
 * session holds `maxMessages` messages; "budget": the owner's monthly budget is used up; "busy": the lease is held (or was, a moment ago), or the
 * session is gone.
 */
export async function claimRefusal(
  ownerId: string,
  sessionId: string,
  input: { id?: string; maxMessages?: number; place?: UserTurnInput["place"] },
): Promise<ClaimRefusal> {
  const placed = input.place && ("parentId" in input.place ? input.place.parentId : input.place.editOf);
  const db = await getDb();
  const [row] = await db
    .select({
      count: chatSessions.messageCount,
      // Spelled out: drizzle leaves a column unqualified in select fields, and "id" would mean the message's here.
      duplicate: input.id
        ? sql<boolean>`exists (select 1 from ${messages} where "messages"."id" = ${input.id}::uuid and "messages"."session_id" = "chat_sessions"."id")`
        : sql<boolean>`false`,
      // The message named as the new one's parent or as the one it edits (a user message) is not in this chat.
      noPlace: placed
        ? sql<boolean>`not exists (select 1 from ${messages} where "messages"."id" = ${placed}::uuid and "messages"."session_id" = "chat_sessions"."id"${
            input.place && "editOf" in input.place ? sql` and "messages"."role" = 'user'` : sql``
          })`
        : sql<boolean>`false`,
    })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .limit(1);
  if (row?.duplicate) return "duplicate";
  if (row?.noPlace) return "no_place";
  if (row && (await isOverBudget(ownerId))) return "budget";
  if (row && input.maxMessages !== undefined && row.count >= input.maxMessages) return "limit";
  return "busy";
}
