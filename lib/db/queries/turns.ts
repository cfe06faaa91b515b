import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { sqlStateOf } from "@/lib/db/errors";
import { chatSessions, messages, projects, type MessageRow } from "@/lib/db/schema";

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
  // as ISO strings (raw parameters skip drizzle's column mapping). The tables are drizzle's, which name their
  // schema ("parley"."messages"); columns are spelled out, qualified by the bare table name where it matters.
  const result: unknown = await db
    .execute(
      sql`
    with lease as (
      update ${chatSessions}
         set generation_id = ${input.generationId}::uuid, generation_expires_at = ${expires}::timestamptz,
             last_seq = last_seq + 1, message_count = message_count + 1, last_activity_at = ${at}::timestamptz
       where id = ${sessionId}::uuid and owner_id = ${ownerId}::uuid
         and (generation_id is null or generation_expires_at < now())
         and not exists (select 1 from ${messages} where messages.id = ${id}::uuid)
         ${input.maxMessages === undefined ? sql`` : sql`and message_count < ${input.maxMessages}`}
       returning id, last_seq, project_id
    ), inserted as (
      insert into ${messages} (id, session_id, seq, role, content, parts, status, created_at)
      select ${id}::uuid, lease.id, lease.last_seq, 'user', ${input.content}::text, ${JSON.stringify(parts)}::jsonb, 'complete', ${at}::timestamptz
        from lease
      returning seq
    ), touched as (
      update ${projects} set last_activity_at = ${at}::timestamptz where id = (select project_id from lease) and owner_id = ${ownerId}::uuid
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
  const [inserted] = rows;
  if (!inserted) return undefined;
  return {
    id,
    sessionId,
    seq: Number(inserted.seq),
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
export async function claimRefusal(
  ownerId: string,
  sessionId: string,
  input: { id?: string; maxMessages?: number },
): Promise<ClaimRefusal> {
  const db = await getDb();
  const [row] = await db
    .select({
      count: chatSessions.messageCount,
      // Spelled out: drizzle leaves a column unqualified in select fields, and "id" would mean the message's here.
      duplicate: input.id
        ? sql<boolean>`exists (select 1 from ${messages} where "messages"."id" = ${input.id}::uuid and "messages"."session_id" = "chat_sessions"."id")`
        : sql<boolean>`false`,
    })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .limit(1);
  if (row?.duplicate) return "duplicate";
  if (row && input.maxMessages !== undefined && row.count >= input.maxMessages) return "limit";
  return "busy";
}
