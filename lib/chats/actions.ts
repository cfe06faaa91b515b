"use server";

import { z } from "zod";
import { ApiError, notFound as missing } from "@/lib/api/errors";
import { isKnownModel } from "@/lib/ai/models";
import { storedMessageToUIMessage, type ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { updateProjectAction } from "@/lib/projects/actions";
import { actionError, withUserAction, type ActionResult } from "@/lib/server/action";
import { toSidebarSession, SESSIONS_PAGE_SIZE, MESSAGES_PAGE_SIZE, type SidebarSession } from "./chat-data";
import { chatTitle } from "./schemas";
import { deleteChat, listChatMessages, listChats, selectChatBranch, updateChat } from "./service";

/**
 * The chat screen's server actions. Every one re-checks the caller (withUserAction) and validates its
 * arguments with zod: the browser can send anything. The rules themselves live in the chats service, shared
 * with the REST API. Failures come back as `{ error }` with a readable sentence; "not yours" and "missing"
 * read the same.
 */

const uuid = z.uuid();
const flag = z.boolean();
const notFoundMessage = "This chat no longer exists or is not yours.";
const noProjectMessage = "This project does not exist.";
/** "Not yours" and "missing" read the same; other refusals keep their own sentence. */
const chatMissing = { describe: (error: ApiError) => (error.type === "not_found" ? notFoundMessage : error.message) };
const refusal = (message: string) => new ApiError("validation", "session", message);

export async function renameChatAction(sessionId: string, title: string): Promise<ActionResult<{ title: string }>> {
  return withUserAction(async (user) => {
    const parsed = chatTitle.safeParse(title);
    if (!parsed.success) throw refusal(parsed.error.issues[0]?.message ?? "The title is not valid");
    return { title: (await updateChat(user.id, sessionId, { title: parsed.data })).title };
  }, chatMissing);
}

/** Pins (true) or unpins (false) a chat: pinned chats lead the sidebar's list. */
export async function pinChatAction(sessionId: string, pinned: boolean): Promise<ActionResult<{ pinned: boolean }>> {
  return withUserAction(async (user) => {
    const parsed = flag.safeParse(pinned);
    if (!parsed.success) throw refusal("Could not change the pin.");
    return { pinned: (await updateChat(user.id, sessionId, { pinned: parsed.data })).pinnedAt !== null };
  }, chatMissing);
}

/** Archives (true) or restores (false) a chat: archived chats leave the sidebar for its "Archived" view. */
export async function archiveChatAction(sessionId: string, archived: boolean): Promise<ActionResult<{ archived: boolean }>> {
  return withUserAction(async (user) => {
    const parsed = flag.safeParse(archived);
    if (!parsed.success) throw refusal("Could not change the archive.");
    return { archived: (await updateChat(user.id, sessionId, { archived: parsed.data })).archivedAt !== null };
  }, chatMissing);
}

export async function deleteChatAction(sessionId: string): Promise<ActionResult> {
  return withUserAction(async (user) => {
    await deleteChat(user.id, sessionId);
    return undefined;
  }, chatMissing);
}

export async function changeModelAction(sessionId: string, model: string): Promise<ActionResult<{ model: string }>> {
  return withUserAction(async (user) => {
    if (!uuid.safeParse(sessionId).success) throw missing("session");
    if (typeof model !== "string" || !(await isKnownModel(model, user.id)))
      throw refusal("That model is not available on this server.");
    return { model: (await updateChat(user.id, sessionId, { model })).model };
  }, chatMissing);
}

/** Saves a project's system prompt through the projects service (the same validation as the REST API). */
export async function updateSystemPromptAction(
  projectId: string,
  systemPrompt: string,
): Promise<ActionResult<{ systemPrompt: string }>> {
  const result = await updateProjectAction(projectId, { system_prompt: systemPrompt });
  return result.ok ? { ok: true, data: { systemPrompt: result.data.system_prompt } } : actionError(result.error);
}

/** The page of messages before `beforeId` (scrolling up in a long chat), oldest first. */
export async function loadOlderMessagesAction(
  sessionId: string,
  beforeId: string,
): Promise<ActionResult<{ messages: ChatUIMessage[]; hasMore: boolean }>> {
  return withUserAction(async (user) => {
    if (!uuid.safeParse(beforeId).success) throw missing("message");
    const page = await listChatMessages(user.id, sessionId, { beforeId, limit: MESSAGES_PAGE_SIZE });
    return { messages: page.rows.map(storedMessageToUIMessage), hasMore: page.hasMore };
  }, chatMissing);
}

/**
 * Shows another version of a message (‹ ›): the chat's active leaf becomes the newest message under `messageId`,
 * and the newest page of that path comes back, oldest first, for the screen to show at once.
 */
export async function selectBranchAction(
  sessionId: string,
  messageId: string,
): Promise<ActionResult<{ messages: ChatUIMessage[]; hasMore: boolean }>> {
  return withUserAction(async (user) => {
    await selectChatBranch(user.id, sessionId, messageId);
    const page = await listChatMessages(user.id, sessionId, { limit: MESSAGES_PAGE_SIZE });
    return { messages: page.rows.map(storedMessageToUIMessage), hasMore: page.hasMore };
  }, chatMissing);
}

/**
 * A page of the sidebar's chats after `cursor`: the unpinned ones (pinned ones are all on the first render), or
 * with `archived`, the "Archived" view's (from its first page when `cursor` is undefined).
 */
export async function loadMoreChatsAction(
  projectId: string,
  cursor: string | undefined,
  view: "chats" | "archived" = "chats",
): Promise<ActionResult<{ sessions: SidebarSession[]; nextCursor?: string }>> {
  return withUserAction(
    async (user) => {
      if (!uuid.safeParse(projectId).success) throw refusal(noProjectMessage);
      if (view !== "chats" && view !== "archived") throw refusal("Could not load more chats.");
      const valid = typeof cursor === "string" ? cursor.length <= 500 : cursor === undefined && view === "archived";
      if (!valid) throw refusal("Could not load more chats.");
      const archived = view === "archived";
      const page = await listChats(user.id, {
        projectId,
        limit: SESSIONS_PAGE_SIZE,
        cursor,
        archived,
        pinned: archived ? undefined : false,
      });
      return { sessions: page.rows.map(toSidebarSession), nextCursor: page.nextCursor };
    },
    // A tampered cursor (surface "query"): start over rather than show an internal error.
    { describe: (error) => (error.surface === "query" ? "Could not load more chats; reload the page." : error.message) },
  );
}
