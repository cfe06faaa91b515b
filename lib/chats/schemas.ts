import { z } from "zod";
import { paginationQuery } from "@/lib/api/pagination";
import { messageText } from "@/lib/chat/engine/message-text";
import { storableText } from "@/lib/validation/text";

/**
 * What a chat accepts: the request schemas of the sessions API (shared by the routes, the service and the
 * OpenAPI document) and the chat screen's title rule, whose messages are written for a person.
 */

export const modelId = z.string().min(1).max(200);

export const createChatBody = z.object({
  project_id: z.uuid(),
  title: storableText().trim().max(100).optional(),
  chat_model: modelId.optional(),
});

export const updateChatBody = z
  .object({
    title: storableText().trim().min(1).max(100).optional(),
    chat_model: modelId.optional(),
  })
  .refine((body) => body.title !== undefined || body.chat_model !== undefined, { message: "send title and/or chat_model" });

/** `session_id` in the body is ignored (the path names the session), as in the original. */
export const chatBody = z.object({ message: messageText });

export const listChatsQuery = paginationQuery.extend({ project_id: z.uuid().optional() });

export const historyQuery = z.object({
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const chatIdParam = z.uuid();

/** The chat screen's rename: the same limits as `updateChatBody`'s title, with sentences for the sidebar. */
export const chatTitle = storableText("Titles must not contain NUL characters (\\u0000)")
  .trim()
  .min(1, "The title cannot be empty")
  .max(100, "Titles are at most 100 characters");
