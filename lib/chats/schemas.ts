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
    title: storableText().trim().min(1).max(100).optional().describe("A title set here is never replaced by a generated one"),
    chat_model: modelId.optional(),
    pinned: z.boolean().optional().describe("Pinned chats are listed first (the sidebar; `?pinned=true` here)"),
    archived: z.boolean().optional().describe("Archived chats are left out of lists unless `?archived=true`"),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "send at least one of title, chat_model, pinned, archived",
  });

/** `session_id` in the body is ignored (the path names the session), as in the original. */
export const chatBody = z.object({ message: messageText });

/** `?flag=true|false`; absent is undefined (no filter, or the default the description gives). */
const queryFlag = (description: string) =>
  z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional()
    .describe(description);

export const listChatsQuery = paginationQuery.extend({
  project_id: z.uuid().optional(),
  archived: queryFlag("true: only archived chats; absent or false: only chats not archived"),
  pinned: queryFlag("true: only pinned chats; false: only unpinned ones; absent: both"),
});

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
