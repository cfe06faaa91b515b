import { z } from "zod";
import type { UIMessage } from "ai";
import { messageText } from "@/lib/chat/engine/message-text";
import type { GenerationUsage } from "@/lib/chat/engine/usage";

/**
 * The contract between the chat screen (useChat) and `POST /api/chat`. Client-safe: no server imports.
 * A user message's id (any string of 1–100 characters; useChat makes UUIDs) names it within its chat: the row
 * is stored under an id derived from the session and this one, and sending the same id to the same chat again
 * answers 409 `conflict:message` instead of storing it twice.
 */
export interface ChatMessageMetadata {
  model?: string;
  /** complete | incomplete (Stop) | error; set on the final chunk. */
  status?: "complete" | "incomplete" | "error";
  usage?: GenerationUsage;
  /** A readable error for the message (never upstream text). */
  error?: string;
  /** On a reply: the stored id of the question it answers (the screen's own id for it differs: scopedMessageId). */
  parentId?: string;
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata>;

export { CHAT_ID_HEADER } from "./chat-id-header";

/**
 * A chat the screen has not stored yet (#14: "New chat" stores nothing): `id` is the screen's own name for it, a
 * UUID it keeps for the chat's first message, so a retry of that message finds the chat its first attempt made.
 */
const newChat = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  model: z.string().min(1).max(200).optional(),
});

const userMessage = z.object({
  id: z.string().min(1).max(100),
  role: z.literal("user"),
  parts: z
    .array(z.looseObject({ type: z.string(), text: z.string().optional() }))
    .min(1)
    .max(50),
});

export const uiChatRequest = z.union([
  z.object({
    trigger: z.literal("submit-message"),
    sessionId: z.uuid(),
    message: userMessage,
    /** A new version of this earlier user message (its stored id): a sibling, starting a new branch. */
    editOf: z.uuid().optional(),
  }),
  z.object({ trigger: z.literal("submit-message"), newChat, message: userMessage }),
  z.object({ trigger: z.literal("regenerate-message"), sessionId: z.uuid(), messageId: z.string().max(100).optional() }),
]);

/** The text of a user message: its text parts joined, validated (and made storable) like the REST API's `message`. */
export const uiMessageText = messageText;
