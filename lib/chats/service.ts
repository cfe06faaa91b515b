import "server-only";
import type { z } from "zod";
import { ApiError, notFound } from "@/lib/api/errors";
import { parseId, parseParams } from "@/lib/api/http";
import { encodeCursor, readCursor } from "@/lib/api/pagination";
import { getDefaultModelId, getModelInfo, requireKnownModel } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import {
  createSession,
  deleteSession,
  getProjectForNewSession,
  getSession,
  listSessions,
  updateSession,
} from "@/lib/db/queries/sessions";
import { listMessagesPage, listTreePage, selectBranch, type MessagePage } from "@/lib/db/queries/messages";
import { LimitReachedError } from "@/lib/db/errors";
import type { ChatSessionRow, ProjectRow } from "@/lib/db/schema";
import { memoryStateOf, type MemoryStateView } from "@/lib/memory/state";
import { DEFAULT_CHAT_TITLE } from "./title-prompt";
import { activeLeafBody, chatIdParam, createChatBody, historyQuery, listChatsQuery, updateChatBody } from "./schemas";
import { chatView, historyMessageView, type ChatView, type HistoryMessageView } from "./views";

/**
 * What the REST API (app/api/v1/sessions/**) and the chat screen's server actions both call, as
 * lib/projects/service.ts is for projects. The `...Of`/`...For` functions take the REST shapes as `unknown`
 * and validate them here, so no caller can skip a check; the row-level ones serve the screen, whose own
 * arguments are checked by its actions. Failures are ApiErrors: someone else's chat is `not_found:session`,
 * exactly like a missing one.
 */

const SURFACE = "session";
export { DEFAULT_CHAT_TITLE };

const parse = <T extends z.ZodType>(schema: T, input: unknown, surface = SURFACE) => parseParams(schema, input, surface);
const parseChatId = (chatId: unknown): string => parseId(chatIdParam, chatId, SURFACE);

/**
 * The model of a new chat: the one asked for (422 if unknown), else the project's default if usable now, else the
 * platform default. One rule for the REST API, the chat screen's first message and its new-chat composer.
 */
export async function chooseChatModel(
  ownerId: string,
  project: { defaultModel: string | null },
  requested?: string,
): Promise<string> {
  if (requested) return (await requireKnownModel(requested, ownerId)).id;
  if (project.defaultModel && (await getModelInfo(project.defaultModel, ownerId))?.available) return project.defaultModel;
  return getDefaultModelId(ownerId);
}

/** The answer when a project already holds its maximum of chats. */
export function sessionLimitError(error: LimitReachedError): ApiError {
  return new ApiError(
    "limit",
    "sessions",
    `This project has reached the limit of ${error.max.toLocaleString("en-US")} chats; delete one to start another`,
  );
}

/**
 * The project and model of a chat the chat screen is about to create with its first message: `not_found:project`
 * when the project is not the caller's, 422 when the model asked for is unknown.
 */
export async function resolveNewChat(
  ownerId: string,
  input: { projectId: string; model?: string },
): Promise<{ project: ProjectRow; model: string }> {
  const project = await getProjectForNewSession(ownerId, input.projectId);
  if (!project) throw notFound("project");
  return { project, model: await chooseChatModel(ownerId, project, input.model) };
}

/** Creates a chat with the title given (the original dropped it) and a model chosen by chooseChatModel. */
export async function createChat(
  ownerId: string,
  input: { projectId: string; title?: string; model?: string },
): Promise<ChatSessionRow> {
  const project = await getProjectForNewSession(ownerId, input.projectId);
  if (!project) throw notFound("project");
  const model = await chooseChatModel(ownerId, project, input.model);
  const given = input.title?.trim();
  const row = await createSession(ownerId, {
    projectId: project.id,
    // A title given at creation is the caller's choice: no generated title replaces it.
    title: given || DEFAULT_CHAT_TITLE,
    titleSetByUser: Boolean(given),
    model,
    maxSessions: getConfig().limits.sessionsPerProject,
  }).catch((error: unknown) => {
    if (error instanceof LimitReachedError) throw sessionLimitError(error);
    throw error;
  });
  if (!row) throw notFound("project");
  return row;
}

/** A title set here counts as the user's (never replaced by a generated one); pinned/archived set or clear. */
export async function updateChat(
  ownerId: string,
  chatId: string,
  changes: { title?: string; model?: string; pinned?: boolean; archived?: boolean },
): Promise<ChatSessionRow> {
  if (changes.model) await requireKnownModel(changes.model, ownerId);
  const { title, model, pinned, archived } = changes;
  const row = await updateSession(ownerId, parseChatId(chatId), { title, model, pinned, archived });
  if (!row) throw notFound(SURFACE);
  return row;
}

/**
 * A page of the caller's chats, most recently active first, for the REST API and the chat screen's sidebar.
 * `cursor` is the opaque `nextCursor` of the previous page; one that is not ours is a 422 (surface "query").
 * Archived chats are listed only with `archived: true` (and then only they); `pinned` narrows to pinned
 * (true) or unpinned (false) chats, which is how the sidebar shows pinned ones first.
 */
export async function listChats(
  ownerId: string,
  options: { projectId?: string; limit: number; cursor?: string; archived?: boolean; pinned?: boolean },
): Promise<{ rows: ChatSessionRow[]; nextCursor?: string }> {
  const page = await listSessions(ownerId, {
    projectId: options.projectId,
    limit: options.limit,
    cursor: readCursor(options.cursor, "query"),
    archived: options.archived,
    pinned: options.pinned,
  });
  return { rows: page.rows, nextCursor: page.nextCursor && encodeCursor(page.nextCursor) };
}

/** The chat, or `not_found:session` when it is missing or not the caller's. */
export async function getChat(ownerId: string, chatId: unknown): Promise<ChatSessionRow> {
  const row = await getSession(ownerId, parseChatId(chatId));
  if (!row) throw notFound(SURFACE);
  return row;
}

export async function deleteChat(ownerId: string, chatId: unknown): Promise<void> {
  if (!(await deleteSession(ownerId, parseChatId(chatId)))) throw notFound(SURFACE);
}

/** One page of a chat's messages, oldest first; a `beforeId` that is not in the chat is `not_found:message`. */
export async function listChatMessages(
  ownerId: string,
  chatId: unknown,
  options: { beforeId?: string; limit: number },
): Promise<MessagePage> {
  const page = await listMessagesPage(ownerId, parseChatId(chatId), options);
  if (!page) throw notFound(options.beforeId ? "message" : SURFACE);
  return page;
}

// ── The REST shapes: unknown input in, views out ──

export interface ChatPage {
  items: ChatView[];
  nextCursor?: string;
}

export async function createChatFor(ownerId: string, input: unknown): Promise<ChatView> {
  const body = parse(createChatBody, input);
  return chatView(await createChat(ownerId, { projectId: body.project_id, title: body.title, model: body.chat_model }));
}

export async function listChatsOf(ownerId: string, query: unknown): Promise<ChatPage> {
  const { project_id, limit, cursor, archived, pinned } = parse(listChatsQuery, query, "query");
  const page = await listChats(ownerId, { projectId: project_id, limit, cursor, archived, pinned });
  return { items: page.rows.map((row) => chatView(row)), nextCursor: page.nextCursor };
}

export async function getChatOf(ownerId: string, chatId: unknown): Promise<ChatView> {
  return chatView(await getChat(ownerId, chatId));
}

export async function updateChatOf(ownerId: string, chatId: unknown, input: unknown): Promise<ChatView> {
  const id = parseChatId(chatId);
  const body = parse(updateChatBody, input);
  const { title, chat_model: model, pinned, archived } = body;
  return chatView(await updateChat(ownerId, id, { title, model, pinned, archived }));
}

/** `nextCursor` is the id to pass as `before` for the page older than this one. */
export async function listHistoryOf(
  ownerId: string,
  chatId: unknown,
  query: unknown,
): Promise<{ items: HistoryMessageView[]; nextCursor?: string }> {
  const id = parseChatId(chatId);
  const { before, limit, view } = parse(historyQuery, query, "query");
  const page =
    view === "tree"
      ? await orNotFound(listTreePage(ownerId, id, { beforeId: before, limit }), before ? "message" : SURFACE)
      : await listChatMessages(ownerId, id, { beforeId: before, limit });
  return { items: page.rows.map(historyMessageView), nextCursor: page.hasMore ? page.rows[0]?.id : undefined };
}

async function orNotFound<T>(found: Promise<T | undefined>, surface: string): Promise<T> {
  const value = await found;
  if (value === undefined) throw notFound(surface);
  return value;
}

/**
 * Shows and continues the branch through `messageId` (the chat screen's ‹ › and PUT …/active-leaf): the active
 * leaf becomes the newest message under it. `not_found:message` when it is not a message of the caller's chat.
 */
export async function selectChatBranch(ownerId: string, chatId: unknown, messageId: unknown): Promise<{ activeLeafId: string }> {
  const id = parseChatId(chatId);
  const message = chatIdParam.safeParse(messageId);
  if (!message.success) throw notFound("message");
  const leaf = await selectBranch(ownerId, id, message.data);
  if (!leaf) {
    await getChat(ownerId, id); // a chat that is not the caller's answers as a chat
    throw notFound("message");
  }
  return { activeLeafId: leaf };
}

export async function selectChatBranchOf(ownerId: string, chatId: unknown, input: unknown): Promise<{ active_leaf_id: string }> {
  const body = parse(activeLeafBody, input);
  return { active_leaf_id: (await selectChatBranch(ownerId, chatId, body.message_id)).activeLeafId };
}

export async function getChatMemoryOf(ownerId: string, chatId: unknown): Promise<MemoryStateView> {
  return memoryStateOf(await getChat(ownerId, chatId));
}
