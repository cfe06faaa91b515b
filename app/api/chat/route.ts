/**
 * The chat screen's route (useChat + DefaultChatTransport). Internal: the public API is /api/v1.
 *
 * POST /api/chat   (cookie auth)
 *   { trigger: "submit-message", sessionId, message: { id, role: "user", parts: [{ type: "text", text }] } }
 *   { trigger: "submit-message", newChat: { id, projectId, model? }, message }   — the first message of a chat
 *       not stored yet (#14): the chat is created with the message, in one transaction, or not at all.
 *   { trigger: "submit-message", sessionId, message, editOf }   — a new version of an earlier user message
 *   { trigger: "regenerate-message", sessionId }     — another reply to the active path's last question; the
 *       previous replies stay as its versions
 * Send only the new message: the server loads history (and memory) itself.
 *
 * → 200 UI message stream (`x-vercel-ai-ui-message-stream: v1`). The assistant message id in the `start`
 *   chunk is the id it is stored with. Metadata (ChatMessageMetadata in lib/chat/ui/ui-contract.ts): `model` on
 *   start; `status`, `usage` on finish; `status: "incomplete"` on Stop; `status: "error"` + `error` on failure.
 * → The `x-chat-id` header names the chat (for `newChat`, its new id).
 * → 401 not signed in · 404 session (or, for `newChat`, project) not the caller's · 409 `limit:sessions` · 409 `conflict:generation` a reply is already streaming
 *   (nothing stored) · 409 `conflict:message` this message (its id) was already sent in this chat, and its reply is
 *   neither being generated nor the chat's last message (a retry of the latest send instead gets that turn's reply,
 *   live or stored, as a 200 stream: nothing is stored twice) · 422 invalid text or model · 402
 *   `budget_exceeded:chat` the account's monthly budget is used up · 403 `forbidden:pending_approval` the account
 *   waits for an admin · JSON errors like the REST API.
 * The user message is stored under an id made from the session and the client's id (scopedMessageId), never
 * the client's id as sent: that would be a primary key any client can pick, taken already by another user's
 * message (a failed insert, and a way to learn that the id exists).
 *
 * A new chat's id is made the same way from the caller and the client's `newChat.id`: the client's UUID is never a
 * primary key as sent (another user's chat id would answer differently from a free one), yet the same client id
 * always names the same chat of the same user, so the first message's retry finds the chat its first attempt
 * made (and is answered 409 `conflict:message`) instead of making a second one.
 *
 * Stop: POST /api/chat/{sessionId}/stop (works from any tab/instance). Closing the tab does NOT stop the
 * reply: it is generated to its end and stored complete; reloading then shows it.
 * Regenerate keeps the previous replies as siblings (messages form a tree; the model sees only the active path).
 */
import { assertMayChat } from "@/lib/accounts/state";
import { createUIMessageStreamResponse, toUIMessageStream, type ToolSet } from "ai";
import { readJson, withApi } from "@/lib/api/http";
import { validationError } from "@/lib/api/errors";
import { requireRequestUser } from "@/lib/auth/server";
import { classifyModelError, generationErrorDetail } from "@/lib/chat/engine/errors";
import { sendMessage } from "@/lib/chat/engine/send-message";
import { scopedId } from "@/lib/chat/engine/scoped-id";
import { replayTurn } from "@/lib/chat/live/replay";
import { uiReattachResponse } from "@/lib/chat/live/ui-stream";
import { ApiError } from "@/lib/api/errors";
import { PhaseTimer } from "@/lib/chat/engine/server-timing";
import { costOf, usageOf } from "@/lib/chat/engine/usage";
import {
  CHAT_ID_HEADER,
  uiChatRequest,
  uiMessageText,
  type ChatMessageMetadata,
  type ChatUIMessage,
} from "@/lib/chat/ui/ui-contract";

export const dynamic = "force-dynamic";
// A reply plus the summary after it, each up to MODEL_TIMEOUT_MS: ROUTE_MAX_DURATION_S in lib/config/env.ts (a test
// keeps them equal; Next needs a literal here).
export const maxDuration = 300;

export const POST = withApi(async (request: Request) => {
  const timer = new PhaseTimer();
  const user = await requireRequestUser(request);
  timer.mark("auth");
  const body = await readJson(request, uiChatRequest, "message");
  timer.mark("body");
  let text: string | undefined;
  let userMessageId: string | undefined;
  let sessionId: string;
  let newChat: { projectId: string; model?: string } | undefined;
  let editOf: string | undefined;
  if (body.trigger === "submit-message") {
    const parsed = uiMessageText.safeParse(body.message.parts.map((p) => (p.type === "text" ? (p.text ?? "") : "")).join(""));
    if (!parsed.success) throw validationError("message", parsed.error);
    text = parsed.data;
    if ("newChat" in body) {
      sessionId = scopedId(`chat\u0000${user.id}`, body.newChat.id);
      newChat = { projectId: body.newChat.projectId, model: body.newChat.model };
    } else sessionId = body.sessionId;
    userMessageId = scopedId(sessionId, body.message.id);
    if ("editOf" in body) editOf = body.editOf;
  } else sessionId = body.sessionId;
  await assertMayChat(user);
  let generation;
  try {
    generation = await sendMessage({
      ownerId: user.id,
      sessionId,
      text,
      trigger: body.trigger,
      userMessageId,
      newChat,
      editOf,
      timer,
    });
  } catch (error) {
    // A send the server had stored already (its answer was lost on the way: a dropped connection, then Retry) is
    // the same turn, not a second one: the client gets that turn's reply, live or stored (#15).
    if (!(error instanceof ApiError && error.code === "conflict:message" && userMessageId)) throw error;
    const replay = await replayTurn(user.id, sessionId, userMessageId, request.signal);
    if (!replay) throw error;
    return uiReattachResponse(replay, { [CHAT_ID_HEADER]: sessionId });
  }

  const model = generation.model.id;
  // The cost arrives with the step's provider metadata, just before the finish part that carries the tokens.
  let cost: string | null = null;
  const stream = toUIMessageStream<ToolSet, ChatUIMessage>({
    stream: generation.result.stream,
    // With originalMessages given, the SDK uses our id for the reply: the id it will be stored with.
    originalMessages: [],
    generateMessageId: () => generation.assistantMessageId,
    messageMetadata: ({ part }): ChatMessageMetadata | undefined => {
      // The question's stored id: the screen names a new version of it (an edit) by that id.
      if (part.type === "start") return { model, parentId: generation.userMessage?.id };
      if (part.type === "finish-step") {
        cost = costOf(part.providerMetadata) ?? cost;
        return undefined;
      }
      if (part.type === "finish") {
        return {
          model,
          status: part.finishReason === "error" ? "error" : "complete",
          usage: usageOf(part.totalUsage, cost),
        };
      }
      if (part.type === "abort") return { model, status: "incomplete" };
      if (part.type === "error") return { model, status: "error", error: generationErrorDetail(classifyModelError(part.error)) };
      return undefined;
    },
    onError: (error) => generationErrorDetail(classifyModelError(error)),
  });
  // The response ends only once the reply is stored and the session's lease released: a client that sends
  // (or regenerates) right after the stream ends must not meet a 409 from the previous turn.
  const untilStored = stream.pipeThrough(
    new TransformStream({
      async flush() {
        await generation.done;
      },
    }),
  );
  // No consumeSseStream needed for persistence: the send-message service drains its own copy of the model
  // stream, so the reply is stored complete even when nobody reads this response any more.
  // This response starts before the first token: its Server-Timing covers the phases before the model call.
  // no-transform: `next start` otherwise gzips this stream for browsers, and compressing a token stream holds
  // tokens back (measured: ~20 ms more time to first token); the REST stream says the same.
  return createUIMessageStreamResponse({
    stream: untilStored,
    headers: {
      "Cache-Control": "no-store, no-transform",
      "Server-Timing": timer.header(),
      [CHAT_ID_HEADER]: generation.session.id,
    },
  });
});
