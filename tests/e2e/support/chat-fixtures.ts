import type { BrowserContext } from "@playwright/test";
import postgres from "postgres";
import { mintAccessToken } from "./session";

/**
 * Seeding and sign-in for the chat screen's end-to-end tests. They need the Postgres mode of
 * tests/e2e/server.mjs (E2E_DATABASE_URL): the embedded database cannot be opened by a second process.
 */

export const databaseUrl = process.env.E2E_DATABASE_URL;
export const canSeed = Boolean(databaseUrl);

let client: postgres.Sql | undefined;
export function sql(): postgres.Sql {
  if (!databaseUrl) throw new Error("E2E_DATABASE_URL is not set");
  client ??= postgres(databaseUrl, { max: 2, onnotice: () => {} });
  return client;
}

export async function closeSql(): Promise<void> {
  await client?.end({ timeout: 2 });
  client = undefined;
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

/** A signed-in browser context for a fresh user id (the token alone authenticates; see ./session.ts). */
export async function signIn(context: BrowserContext, baseURL: string, name = "E2E User"): Promise<TestUser> {
  const user = await mintAccessToken(name);
  await context.addCookies([{ name: "parley_access", value: user.token, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
  return user;
}

export async function seedProject(
  ownerId: string,
  input: { name?: string; systemPrompt?: string; defaultModel?: string } = {},
): Promise<string> {
  const [row] = await sql()`
    insert into parley.projects (owner_id, name, system_prompt, default_model)
    values (${ownerId}, ${input.name ?? "E2E project"}, ${input.systemPrompt ?? ""}, ${input.defaultModel ?? null})
    returning id`;
  return row.id as string;
}

export async function seedSession(
  ownerId: string,
  projectId: string,
  input: { title?: string; model?: string; lastActivityAt?: Date } = {},
): Promise<string> {
  const at = input.lastActivityAt ?? new Date();
  const [row] = await sql()`
    insert into parley.chat_sessions (owner_id, project_id, title, model, last_activity_at)
    values (${ownerId}, ${projectId}, ${input.title ?? "New Chat"}, ${input.model ?? "offline"}, ${at})
    returning id`;
  return row.id as string;
}

export interface SeedMessage {
  role: "user" | "assistant";
  content: string;
  parts?: unknown[];
  status?: "complete" | "incomplete" | "error";
  model?: string | null;
}

/** Appends messages with consecutive sequence numbers, keeping the session's counters right. */
export async function seedMessages(sessionId: string, list: SeedMessage[]): Promise<string[]> {
  return sql().begin(async (tx) => {
    const [session] = await tx`select last_seq from parley.chat_sessions where id = ${sessionId} for update`;
    const start = Number(session.last_seq);
    const ids: string[] = [];
    for (const [i, m] of list.entries()) {
      const parts = m.parts ?? [{ type: "text", text: m.content }];
      const [row] = await tx`
        insert into parley.messages (session_id, owner_id, seq, role, content, parts, status, model)
        values (${sessionId}, (select owner_id from parley.chat_sessions where id = ${sessionId}), ${start + i + 1}, ${m.role}, ${m.content}, ${tx.json(parts as postgres.JSONValue)}, ${m.status ?? "complete"},
                ${m.model ?? (m.role === "assistant" ? "offline" : null)})
        returning id`;
      ids.push(row.id as string);
    }
    await tx`update parley.chat_sessions set last_seq = ${start + list.length}, message_count = message_count + ${list.length} where id = ${sessionId}`;
    await linkAsOnePath(tx, sessionId);
    return ids;
  });
}

/**
 * Seeded messages are one path: each follows the one before it in seq order and the last is the active leaf
 * (the chat shows its active path), as the app would have stored them.
 */
export async function linkAsOnePath(tx: postgres.Sql | postgres.TransactionSql, sessionId: string): Promise<void> {
  await tx`update parley.messages as m set parent_id = ordered.previous_id
      from (select id, lag(id) over (order by seq) as previous_id from parley.messages where session_id = ${sessionId}) as ordered
     where m.id = ordered.id and ordered.previous_id is not null`;
  await tx`update parley.chat_sessions set active_leaf_id =
      (select id from parley.messages where session_id = ${sessionId} order by seq desc limit 1) where id = ${sessionId}`;
}

/** A long chat in one statement: "Message 1" … "Message n", alternating user/assistant. */
export async function seedLongChat(sessionId: string, count: number): Promise<void> {
  await sql()`
    insert into parley.messages (session_id, owner_id, seq, role, content, parts, status, model)
    select ${sessionId}, (select owner_id from parley.chat_sessions where id = ${sessionId}), n,
           case when n % 2 = 1 then 'user' else 'assistant' end,
           'Message ' || n,
           jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'Message ' || n)),
           'complete',
           case when n % 2 = 1 then null else 'offline' end
    from generate_series(1, ${count}::int) as n`;
  await sql()`update parley.chat_sessions set last_seq = ${count}, message_count = ${count} where id = ${sessionId}`;
  await linkAsOnePath(sql(), sessionId);
}

export async function readSession(sessionId: string): Promise<{ title: string; model: string } | undefined> {
  const [row] = await sql()`select title, model from parley.chat_sessions where id = ${sessionId}`;
  return row ? { title: row.title as string, model: row.model as string } : undefined;
}

/** The ids of a project's stored chats (#14: "New chat" alone must add none). */
export async function readSessionIds(projectId: string): Promise<string[]> {
  const rows = await sql()`select id from parley.chat_sessions where project_id = ${projectId}`;
  return rows.map((row) => row.id as string);
}

/** The roles of a session's stored messages, in order (a reply is stored once it finished streaming). */
export async function readMessageRoles(sessionId: string): Promise<string[]> {
  const rows = await sql()`select role from parley.messages where session_id = ${sessionId} order by seq`;
  return rows.map((row) => row.role as string);
}

export async function readSystemPrompt(projectId: string): Promise<string | undefined> {
  const [row] = await sql()`select system_prompt from parley.projects where id = ${projectId}`;
  return row?.system_prompt as string | undefined;
}

/** Puts a session in a summarized state, as the memory worker would leave it. */
export async function setMemoryState(
  sessionId: string,
  state: {
    summary: string;
    throughSeq: number;
    coveredMessages: number;
    status: "pending" | "ready" | "failed";
    lastInputTokens: number;
  },
): Promise<void> {
  await sql()`
    update parley.chat_sessions
    set summary = ${state.summary}, summary_through_seq = ${state.throughSeq}, summary_covered_messages = ${state.coveredMessages},
        summary_status = ${state.status}, last_input_tokens = ${state.lastInputTokens}
    where id = ${sessionId}`;
}
