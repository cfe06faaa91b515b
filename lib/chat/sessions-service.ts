import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { encodeCursor, readCursor } from "@/lib/api/pagination";
import { getDefaultModelId, getModelInfo, requireKnownModel } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import { createSession, getProjectForNewSession, listSessions, updateSession } from "@/lib/db/queries/sessions";
import { LimitReachedError } from "@/lib/db/errors";
import type { ChatSessionRow } from "@/lib/db/schema";

export const DEFAULT_SESSION_TITLE = "New Chat";

/**
 * Creates a session with the title given (the original dropped it) and a model from the registry: the one
 * asked for (422 if unknown), else the project's default if usable now, else the platform default. One path for
 * the REST API and the chat screen, so both pick the same model.
 */
export async function createChatSession(ownerId: string, input: { projectId: string; title?: string; model?: string }): Promise<ChatSessionRow> {
  const project = await getProjectForNewSession(ownerId, input.projectId);
  if (!project) throw notFound("project");
  let model: string;
  if (input.model) model = (await requireKnownModel(input.model)).id;
  else if (project.defaultModel && (await getModelInfo(project.defaultModel))?.available) model = project.defaultModel;
  else model = await getDefaultModelId();
  const title = input.title?.trim() || DEFAULT_SESSION_TITLE;
  const row = await createSession(ownerId, { projectId: project.id, title, model, maxSessions: getConfig().limits.sessionsPerProject }).catch((error: unknown) => {
    if (!(error instanceof LimitReachedError)) throw error;
    throw new ApiError("limit", "sessions", `This project has reached the limit of ${error.max.toLocaleString("en-US")} chats; delete one to start another`);
  });
  if (!row) throw notFound("project");
  return row;
}

export async function updateChatSession(ownerId: string, sessionId: string, changes: { title?: string; model?: string }): Promise<ChatSessionRow> {
  if (changes.model) await requireKnownModel(changes.model);
  const row = await updateSession(ownerId, sessionId, { title: changes.title, model: changes.model });
  if (!row) throw notFound("session");
  return row;
}

/**
 * A page of the caller's sessions, most recently active first, for the REST API and the chat screen's sidebar.
 * `cursor` is the opaque `nextCursor` of the previous page; one that is not ours is a 422 (surface "query").
 */
export async function listChatSessions(
  ownerId: string,
  options: { projectId?: string; limit: number; cursor?: string },
): Promise<{ rows: ChatSessionRow[]; nextCursor?: string }> {
  const page = await listSessions(ownerId, { projectId: options.projectId, limit: options.limit, cursor: readCursor(options.cursor, "query") });
  return { rows: page.rows, nextCursor: page.nextCursor && encodeCursor(page.nextCursor) };
}
