import type { ChatResponseBody } from "@/lib/api/response-schemas";
import { withApi } from "@/lib/api/http";
import { json } from "@/lib/api/route";
import { generationFailure, retriedChatAnswer, startRestGeneration } from "@/lib/chat/rest/route-helpers";

export const dynamic = "force-dynamic";
// A reply plus the summary after it, each up to MODEL_TIMEOUT_MS: ROUTE_MAX_DURATION_S in lib/config/env.ts (a test
// keeps them equal; Next needs a literal here).
export const maxDuration = 300;

/**
 * POST /api/v1/sessions/{id}/chat {message, client_message_id?} → 200 {response, message_id, usage, status, model,
 * user_message_id}. A model failure is a 502 JSON error, never a 200 whose text is an error (the failed reply is
 * still stored, status error). A retry of a stored send (the same `client_message_id` or `Idempotency-Key`) gets
 * that turn's answer again, or 409 `conflict:generation` while its reply is still being generated.
 */
export const POST = withApi(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const send = await startRestGeneration(request, context);
  if ("retry" in send) return json(await retriedChatAnswer(send.retry));
  const { generation } = send;
  const outcome = await generation.done;
  if (outcome.status === "error") throw generationFailure(outcome.error);
  return json({
    response: outcome.text,
    message_id: outcome.message?.id ?? generation.assistantMessageId,
    usage: outcome.usage,
    status: outcome.status,
    model: generation.model.id,
    user_message_id: generation.userMessage?.id ?? null,
  } satisfies ChatResponseBody);
});
