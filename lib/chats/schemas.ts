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

/**
 * The client's name for a message it sends (#15): a retry under the same name is the same send, never a second
 * one. Any text (a UUID is typical); it is never stored as given, only hashed with the chat into the stored id
 * (scopedId), so one client's names cannot collide with another's. The same schema checks `Idempotency-Key`.
 */
export const clientMessageId = z.string().min(1).max(255);
/** The standard header of a retried POST, which the chat sends take as `client_message_id` (the same value, the same message). */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

/**
 * `session_id` in the body is ignored (the path names the session), as in the original. The branch fields are
 * optional additions (#15): without them a message follows the chat's active leaf, as it always did.
 */
export const chatBody = z
  .object({
    message: messageText.optional().describe("The new user message (required unless `regenerate`)"),
    parent_id: z
      .uuid()
      .optional()
      .describe(
        "Send after this message of the chat instead of the active leaf; with `regenerate`, the user message to answer again",
      ),
    edit_of: z.uuid().optional().describe("A new version of this earlier user message: a sibling of it, starting a new branch"),
    regenerate: z
      .boolean()
      .optional()
      .describe(
        "Answer a question again (the active path's last one, or `parent_id`); the previous replies are kept as versions",
      ),
    client_message_id: clientMessageId
      .optional()
      .describe(
        "Your id for this message (or send the `Idempotency-Key` header): a retry with the same id in this chat is the same send, answered with that turn's reply, never stored or answered by the model twice",
      ),
  })
  .refine((body) => (body.regenerate ? body.message === undefined && body.edit_of === undefined : body.message !== undefined), {
    message: "send `message` (optionally with `parent_id` or `edit_of`), or `regenerate: true` without `message` and `edit_of`",
  })
  .refine((body) => !(body.parent_id && body.edit_of), { message: "send `parent_id` or `edit_of`, not both" })
  // The id names the user message a send stores; a regenerate stores none.
  .refine((body) => !(body.regenerate && body.client_message_id !== undefined), {
    message: "`client_message_id` names a new message: not with `regenerate`",
  });

/** PUT /api/v1/sessions/{id}/active-leaf: show and continue the branch through this message. */
export const activeLeafBody = z.object({
  message_id: z
    .uuid()
    .describe(
      "Any message of the chat: the active leaf becomes the newest message of the branch through it (itself, if it has no replies)",
    ),
});

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
  view: z
    .enum(["path", "tree"])
    .default("path")
    .describe(
      "path: the branch the chat shows (root to active leaf); tree: every message of every branch, by seq, with parent_id",
    ),
});

export const chatIdParam = z.uuid();

/** The chat screen's rename: the same limits as `updateChatBody`'s title, with sentences for the sidebar. */
export const chatTitle = storableText("Titles must not contain NUL characters (\\u0000)")
  .trim()
  .min(1, "The title cannot be empty")
  .max(100, "Titles are at most 100 characters");
