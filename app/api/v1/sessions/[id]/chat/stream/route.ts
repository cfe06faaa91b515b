import { z } from "zod";
import { noContent, withApi } from "@/lib/api/http";
import { withUser } from "@/lib/api/route";
import { replayTurn } from "@/lib/chat/live/replay";
import { watchReply } from "@/lib/chat/live/watch";
import { restReattachResponse } from "@/lib/chat/rest/rest-reattach";
import { startRestGeneration } from "@/lib/chat/rest/route-helpers";
import { restStreamResponse } from "@/lib/chat/rest/rest-stream";
import { PhaseTimer } from "@/lib/chat/engine/server-timing";

export const dynamic = "force-dynamic";
// A reply plus the summary after it, each up to MODEL_TIMEOUT_MS: ROUTE_MAX_DURATION_S in lib/config/env.ts (a test
// keeps them equal; Next needs a literal here).
export const maxDuration = 300;

/**
 * POST /api/v1/sessions/{id}/chat/stream {message, client_message_id?} → 200 text/event-stream (see
 * lib/chat/rest/rest-stream.ts). A retry of a stored send (the same `client_message_id` or `Idempotency-Key`) is
 * answered like the chat screen's: that turn's reply, followed live while it is generated, else as stored.
 */
export const POST = withApi(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const timer = new PhaseTimer();
  const send = await startRestGeneration(request, context, timer);
  if ("generation" in send) return restStreamResponse(send.generation, timer);
  const { ownerId, sessionId, userMessageId, refusal } = send.retry;
  const replay = await replayTurn(ownerId, sessionId, userMessageId, request.signal);
  if (!replay) throw refusal;
  return restReattachResponse(replay, 0);
});

/** What the client has of the reply (its last event's id); anything else reads as "nothing yet". */
const lastEventId = z.coerce.number().int().min(0).max(10_000_000).catch(0);

/**
 * GET /api/v1/sessions/{id}/chat/stream [Last-Event-ID] → 200 text/event-stream: the reply being generated in
 * this chat (on any instance), from its start or after `Last-Event-ID`, live to its end (lib/chat/rest/rest-reattach.ts);
 * 204 when nothing is being generated; 404 not the caller's chat.
 */
export const GET = withUser<{ id: string }>("session", async ({ user, params, request }) => {
  const watch = await watchReply(user.id, params.id, request.signal);
  if (!watch) return noContent({ "Cache-Control": "no-store" });
  return restReattachResponse(watch, lastEventId.parse(request.headers.get("last-event-id") ?? 0));
});
