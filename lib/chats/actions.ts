"use server";

import { notFound, redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { storableText } from "@/lib/validation/text";
import { requireUser } from "@/lib/auth/server";
import { ApiError } from "@/lib/api/errors";
import { loggable } from "@/lib/db/errors";
import { createChat as createChatSession, listChats as listChatSessions } from "./service";
import { deleteSession, updateSession } from "@/lib/db/queries/sessions";
import { listMessagesPage } from "@/lib/db/queries/messages";
import { isKnownModel } from "@/lib/ai/models";
import { updateProjectAction } from "@/lib/projects/actions";
import { storedMessageToUIMessage, type ChatUIMessage } from "@/lib/chat/ui-messages";
import { toSidebarSession, SESSIONS_PAGE_SIZE, MESSAGES_PAGE_SIZE, type SidebarSession } from "./chat-data";

/**
 * The chat screen's server actions. Every one re-checks the caller (actions are public endpoints) and
 * validates its arguments with zod: the browser can send anything. Failures come back as `{ error }` with a
 * readable sentence; "not yours" and "missing" read the same.
 */

export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: string };

const uuid = z.uuid();
const titleSchema = storableText("Titles must not contain NUL characters (\\u0000)").trim().min(1, "The title cannot be empty").max(100, "Titles are at most 100 characters");

const notFoundMessage = "This chat no longer exists or is not yours.";
const failedMessage = "Something went wrong on our side. Please try again.";

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

/**
 * An unexpected failure becomes a readable error, logged without the statement's parameters (Next would log
 * the raw error, whose message quotes them: the title or prompt being saved). Next's own redirects and
 * not-found signals pass through.
 */
async function guarded<T>(work: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await work();
  } catch (error) {
    unstable_rethrow(error);
    console.error("[parley] chat action failed:", loggable(error));
    return fail(failedMessage);
  }
}

/** Creates a chat in the project (with the same model choice as the REST API) and opens it. */
export async function createChatAction(projectId: string): Promise<ActionResult> {
  const user = await requireUser();
  if (!uuid.safeParse(projectId).success) return fail("This project does not exist.");
  let sessionId: string;
  try {
    sessionId = (await createChatSession(user.id, { projectId })).id;
  } catch (error) {
    if (error instanceof ApiError) return fail(error.type === "not_found" ? "This project does not exist." : error.message);
    console.error("[parley] chat action failed:", loggable(error));
    return fail(failedMessage);
  }
  redirect(`/projects/${projectId}/chats/${sessionId}`);
}

export async function renameChatAction(sessionId: string, title: string): Promise<ActionResult<{ title: string }>> {
  const user = await requireUser();
  const parsed = titleSchema.safeParse(title);
  if (!parsed.success) return fail(parsed.error.issues[0].message);
  if (!uuid.safeParse(sessionId).success) return fail(notFoundMessage);
  return guarded(async () => {
    const row = await updateSession(user.id, sessionId, { title: parsed.data });
    return row ? { ok: true, data: { title: row.title } } : fail(notFoundMessage);
  });
}

export async function deleteChatAction(sessionId: string): Promise<ActionResult> {
  const user = await requireUser();
  if (!uuid.safeParse(sessionId).success) return fail(notFoundMessage);
  return guarded(async () => ((await deleteSession(user.id, sessionId)) ? { ok: true, data: undefined } : fail(notFoundMessage)));
}

export async function changeModelAction(sessionId: string, model: string): Promise<ActionResult<{ model: string }>> {
  const user = await requireUser();
  if (!uuid.safeParse(sessionId).success) return fail(notFoundMessage);
  if (typeof model !== "string" || !(await isKnownModel(model))) return fail("That model is not available on this server.");
  return guarded(async () => {
    const row = await updateSession(user.id, sessionId, { model });
    return row ? { ok: true, data: { model: row.model } } : fail(notFoundMessage);
  });
}

/** Saves a project's system prompt through the projects service (the same validation as the REST API). */
export async function updateSystemPromptAction(projectId: string, systemPrompt: string): Promise<ActionResult<{ systemPrompt: string }>> {
  const result = await updateProjectAction(projectId, { system_prompt: systemPrompt });
  return result.ok ? { ok: true, data: { systemPrompt: result.data.system_prompt } } : fail(result.error);
}

/** The page of messages before `beforeId` (scrolling up in a long chat), oldest first. */
export async function loadOlderMessagesAction(
  sessionId: string,
  beforeId: string,
): Promise<ActionResult<{ messages: ChatUIMessage[]; hasMore: boolean }>> {
  const user = await requireUser();
  if (!uuid.safeParse(sessionId).success || !uuid.safeParse(beforeId).success) return fail(notFoundMessage);
  return guarded(async () => {
    const page = await listMessagesPage(user.id, sessionId, { beforeId, limit: MESSAGES_PAGE_SIZE });
    if (!page) return fail(notFoundMessage);
    return { ok: true, data: { messages: page.rows.map(storedMessageToUIMessage), hasMore: page.hasMore } };
  });
}

export async function loadMoreChatsAction(
  projectId: string,
  cursor: string,
): Promise<ActionResult<{ sessions: SidebarSession[]; nextCursor?: string }>> {
  const user = await requireUser();
  if (!uuid.safeParse(projectId).success) return fail("This project does not exist.");
  if (typeof cursor !== "string" || cursor.length > 500) return fail("Could not load more chats.");
  try {
    const page = await listChatSessions(user.id, { projectId, limit: SESSIONS_PAGE_SIZE, cursor });
    return { ok: true, data: { sessions: page.rows.map(toSidebarSession), nextCursor: page.nextCursor } };
  } catch {
    // A tampered cursor: start over rather than show an internal error.
    return fail("Could not load more chats; reload the page.");
  }
}

/** The same for a plain <form> (the empty project page, which works without client JavaScript). */
export async function startChatFormAction(projectId: string): Promise<void> {
  const result = await createChatAction(projectId);
  // createChatAction redirects on success; a failure here means the project is gone or not the caller's.
  if (!result.ok) notFound();
}
