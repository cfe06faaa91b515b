import "server-only";
import type { z } from "zod";
import { ApiError, notFound } from "@/lib/api/errors";
import { readJson } from "@/lib/api/http";
import type { ChatResponseBody } from "@/lib/api/response-schemas";
import { assertMayChat } from "@/lib/accounts/state";
import { requireRequestUser } from "@/lib/auth/server";
import { chatBody, chatIdParam as sessionIdParam, clientMessageId, IDEMPOTENCY_KEY_HEADER } from "@/lib/chats/schemas";
import { generationBusy } from "@/lib/chat/engine/claim";
import { generationErrorDetail, type GenerationErrorCode } from "@/lib/chat/engine/errors";
import { scopedId } from "@/lib/chat/engine/scoped-id";
import { sendMessage } from "@/lib/chat/engine/send-message";
import type { Generation, GenerationOutcome } from "@/lib/chat/engine/types";
import type { PhaseTimer } from "@/lib/chat/engine/server-timing";
import { storedUsageOf } from "@/lib/chat/engine/usage";
import { settledTurn } from "@/lib/chat/live/replay";
import { getMessage } from "@/lib/db/queries/messages";

/**
 * A REST send: a new turn, or (#15) a retry of a send the chat already stored, named by the same client message id,
 * which the routes answer with that turn instead of storing or generating anything.
 */
export type RestSend = { generation: Generation } | { retry: RetriedSend };

export interface RetriedSend {
  ownerId: string;
  sessionId: string;
  /** The stored id of the retried message: scopedId(chat, the client's id), as the chat screen's route makes it. */
  userMessageId: string;
  /** What the send itself answered (409 `conflict:message`): the answer when that turn cannot be given any more. */
  refusal: ApiError;
}

/** Shared by the two REST chat routes: auth, path id, body, then the one send-message service. */
export async function startRestGeneration(
  request: Request,
  context: { params: Promise<{ id: string }> },
  timer?: PhaseTimer,
): Promise<RestSend> {
  const user = await requireRequestUser(request);
  timer?.mark("auth");
  const id = sessionIdParam.safeParse((await context.params).id);
  if (!id.success) throw notFound("session");
  const body = await readJson(request, chatBody, "message");
  const clientId = clientIdOf(request, body);
  timer?.mark("body");
  await assertMayChat(user);
  // The same mapping as the chat screen's route: the client's id is never stored as sent (a primary key any client
  // could pick), and the same id in the same chat is always the same message.
  const userMessageId = clientId === undefined ? undefined : scopedId(id.data, clientId);
  try {
    const generation = await sendMessage({
      ownerId: user.id,
      sessionId: id.data,
      text: body.message,
      trigger: body.regenerate ? "regenerate-message" : "submit-message",
      parentId: body.parent_id,
      editOf: body.edit_of,
      userMessageId,
      timer,
    });
    return { generation };
  } catch (error) {
    // The message with this id is stored already: the answer to the first attempt was lost. The same turn, unless
    // the id now names another text (a client reusing ids): that is an error, not a retry.
    if (!(userMessageId && error instanceof ApiError && error.code === "conflict:message")) throw error;
    const sent = await getMessage(user.id, id.data, userMessageId);
    if (sent && sent.content !== body.message) {
      throw new ApiError(
        "validation",
        "client_message_id",
        "This client_message_id was already used in this chat for another message; a new message needs a new id",
      );
    }
    return { retry: { ownerId: user.id, sessionId: id.data, userMessageId, refusal: error } };
  }
}

/**
 * The client's id for the message: `client_message_id`, or the `Idempotency-Key` header (for clients that add it to
 * every retried POST). Both may be sent if they agree. Neither is allowed with `regenerate`, which stores no message:
 * ignoring the header there would let a client believe a retried regenerate safe when it is not.
 */
function clientIdOf(request: Request, body: z.output<typeof chatBody>): string | undefined {
  const header = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (header === null) return body.client_message_id;
  const invalid = (message: string) =>
    new ApiError("validation", "message", `Invalid ${IDEMPOTENCY_KEY_HEADER} header: ${message}`, {
      errors: [{ path: IDEMPOTENCY_KEY_HEADER, message }],
    });
  const parsed = clientMessageId.safeParse(header);
  if (!parsed.success) throw invalid("1 to 255 characters");
  if (body.regenerate) throw invalid("it names a new message: not with `regenerate`");
  if (body.client_message_id !== undefined && body.client_message_id !== parsed.data)
    throw invalid("it differs from `client_message_id`: send one of them, or the same value in both");
  return parsed.data;
}

/**
 * A retried JSON send's answer: the turn as the first attempt would have answered it (its stored reply, or the
 * same 502 if the reply failed); 409 `conflict:generation` while a reply is still being generated (retry later);
 * the send's own refusal when the turn is no longer the chat's latest (another message followed it).
 */
export async function retriedChatAnswer(retry: RetriedSend): Promise<ChatResponseBody> {
  const turn = await settledTurn(retry.ownerId, retry.sessionId, retry.userMessageId);
  if (turn === "generating") throw generationBusy();
  if (!turn) throw retry.refusal;
  const { question, reply } = turn;
  if (reply.status === "error") {
    const code = (reply.errorCode ?? "upstream:model") as GenerationErrorCode;
    throw generationFailure({ code, detail: generationErrorDetail(code) });
  }
  return {
    response: reply.content,
    message_id: reply.id,
    usage: storedUsageOf(reply),
    status: reply.status,
    model: reply.model ?? "",
    user_message_id: question.id,
  };
}

/**
 * A failed generation as the REST API answers it before any text was sent: 502 `upstream:<what>` for the
 * model's failures, 500 `internal:generation` when the reply could not be stored.
 */
export function generationFailure(error: GenerationOutcome["error"]): ApiError {
  const code = error?.code ?? "upstream:model";
  const surface = code.slice(code.indexOf(":") + 1);
  return new ApiError(code.startsWith("internal:") ? "internal" : "upstream", surface, error?.detail ?? "The model failed");
}
