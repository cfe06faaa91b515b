import "server-only";
import { listMessagesForExport, listProjectsForExport, listSessionsForExport } from "@/lib/db/queries/transfer";
import type { KeysetCursor } from "@/lib/db/queries/keyset";
import { loggable } from "@/lib/db/errors";
import type { ChatSessionRow, MessageRow, ProjectRow } from "@/lib/db/schema";
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedMessageOut } from "./format";

/**
 * The account export, written as it is read: projects, chats and messages are fetched a page at a time (keyset
 * pagination) and each page is serialized and handed to the response before the next is read. Memory stays at
 * about one page whatever the account holds; the stream pulls, so a slow client slows the reads instead of
 * filling a buffer. Not a snapshot: a message sent during the export may or may not be in it.
 */

const PROJECT_PAGE = 100;
const SESSION_PAGE = 200;
/** Messages per read: ~1,000 rows is a few hundred kB of JSON, one chunk of the response. */
export const MESSAGE_PAGE = 1_000;

const iso = (date: Date) => date.toISOString();

/**
 * Stored parts are what the engine wrote (text, reasoning); anything else is not Parley's to carry over. The
 * common case, one text part equal to the content, is left out (import restores it): it would double the file.
 */
function partsOut(row: MessageRow): ExportedMessageOut["parts"] {
  const parts = (row.parts as { type?: unknown; text?: unknown }[])
    .filter((p) => (p.type === "text" || p.type === "reasoning") && typeof p.text === "string")
    .map((p) => ({ type: p.type as "text" | "reasoning", text: p.text as string }));
  const plain = parts.length === 1 && parts[0]!.type === "text" && parts[0]!.text === row.content;
  return plain ? undefined : parts;
}

export function messageOut(row: MessageRow): ExportedMessageOut {
  return {
    id: row.id,
    seq: row.seq,
    role: row.role,
    content: row.content,
    parts: partsOut(row),
    status: row.status,
    model: row.model,
    usage: row.role === "assistant" ? { input_tokens: row.inputTokens, output_tokens: row.outputTokens, cost: row.cost } : null,
    error_code: row.errorCode,
    created_at: iso(row.createdAt),
  };
}

function chatHead(row: ChatSessionRow) {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    last_activity_at: iso(row.lastActivityAt),
    last_input_tokens: row.lastInputTokens,
    title_set_by_user: row.titleSetByUser,
    pinned_at: row.pinnedAt && iso(row.pinnedAt),
    archived_at: row.archivedAt && iso(row.archivedAt),
    memory:
      row.summary === null
        ? null
        : {
            summary: row.summary,
            through_seq: row.summaryThroughSeq,
            updated_at: row.summaryUpdatedAt && iso(row.summaryUpdatedAt),
          },
  };
}

function projectHead(row: ProjectRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    system_prompt: row.systemPrompt,
    default_model: row.defaultModel,
    memory_enabled: row.memoryEnabled,
    memory_threshold: row.memoryThreshold,
    memory_keep_recent: row.memoryKeepRecent,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    last_activity_at: iso(row.lastActivityAt),
  };
}

/** `{...head, "<key>": [` — an object whose last member, an array, the caller streams in. */
const openWith = (head: object, key: string) => `${JSON.stringify(head).slice(0, -1)},${JSON.stringify(key)}:[`;

/** Every message of a chat, oldest first, one page of JSON per yield. */
export async function* messagePages(ownerId: string, sessionId: string): AsyncGenerator<MessageRow[]> {
  for (let after = 0; ;) {
    const page = await listMessagesForExport(ownerId, sessionId, after, MESSAGE_PAGE);
    if (page.length > 0) yield page;
    if (page.length < MESSAGE_PAGE) return;
    after = page.at(-1)!.seq;
  }
}

async function* chatJson(ownerId: string, session: ChatSessionRow): AsyncGenerator<string> {
  yield openWith(chatHead(session), "messages");
  let first = true;
  for await (const page of messagePages(ownerId, session.id)) {
    yield (first ? "" : ",") + page.map((row) => JSON.stringify(messageOut(row))).join(",");
    first = false;
  }
  yield "]}";
}

async function* pages<Row>(read: (cursor?: KeysetCursor) => Promise<{ rows: Row[]; nextCursor?: KeysetCursor }>) {
  for (let cursor: KeysetCursor | undefined; ;) {
    const page = await read(cursor);
    yield* page.rows;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

async function* projectJson(ownerId: string, project: ProjectRow, only?: ChatSessionRow): AsyncGenerator<string> {
  yield openWith(projectHead(project), "chats");
  const sessions = only ? [only] : pages((cursor) => listSessionsForExport(ownerId, project.id, { limit: SESSION_PAGE, cursor }));
  let first = true;
  for await (const session of sessions) {
    if (!first) yield ",";
    first = false;
    yield* chatJson(ownerId, session);
  }
  yield "]}";
}

function documentHead(now: Date): string {
  return openWith({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: iso(now) }, "projects");
}

/** The whole account as a `parley-export` document, in pieces. */
export async function* accountExport(ownerId: string, now = new Date()): AsyncGenerator<string> {
  yield documentHead(now);
  let first = true;
  for await (const project of pages((cursor) => listProjectsForExport(ownerId, { limit: PROJECT_PAGE, cursor }))) {
    if (!first) yield ",";
    first = false;
    yield* projectJson(ownerId, project);
  }
  yield "]}";
}

/** One chat as a `parley-export` document (its project, with only this chat): importable like the whole account. */
export async function* chatExport(ownerId: string, project: ProjectRow, session: ChatSessionRow, now = new Date()) {
  yield documentHead(now);
  yield* projectJson(ownerId, project, session);
  yield "]}";
}

/**
 * A pull stream over text pieces: the next piece is produced only when the consumer asks, so nothing is read
 * ahead of the client. A failure midway ends the download broken (a client sees invalid JSON), never a 200 that
 * looks complete; it is logged without its details reaching the client.
 */
export function textStream(pieces: AsyncGenerator<string>, what: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await pieces.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          console.error(`[parley] ${what} failed midway:`, loggable(error));
          controller.error(new Error(`${what} failed`));
        }
      },
      async cancel() {
        await pieces.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
