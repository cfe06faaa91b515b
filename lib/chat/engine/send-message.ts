import "server-only";
import { randomUUID } from "node:crypto";
import { streamText } from "ai";
import { notFound } from "@/lib/api/errors";
import { getLanguageModel, requireUsableModel, type ModelInfo } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import { getSessionWithProject } from "@/lib/db/queries/sessions";
import type { ProjectRow } from "@/lib/db/schema";
import type { ModelInput } from "@/lib/memory/context";
import { consumeChatMessage } from "@/lib/rate-limit/policy";
import { runAfter } from "@/lib/server/run-after";
import { assertAcceptingWork } from "@/lib/server/shutdown";
import { resolveNewChat } from "@/lib/chats/service";
import { claimNewChatTurn, claimTurnWithHistory, refusalOf, type ClaimedTurn } from "./claim";
import { createCutoff, drain } from "./drain";
import { summarizeAfterReply } from "./memory-hook";
import { titleAfterReply } from "./title-hook";
import { openLiveFeed } from "@/lib/chat/live/feed";
import { registerGeneration } from "./stop-registry";
import { holdLease, storeReply } from "./store";
import type { Generation, StartGenerationInput } from "./types";

/**
 * THE send-message service: the REST API (`/api/v1/sessions/{id}/chat[/stream]`) and the UI's route
 * (`/api/chat`) both call `sendMessage`, then only differ in how they present `result.stream`.
 * A send runs in three phases: claim (claim.ts), drain (drain.ts) and store (store.ts).
 *
 * Persistence rules (each proven by tests/integration/chat-*.test.ts):
 * - the user message is stored BEFORE the model is called (an upstream failure never loses the question);
 * - the reply is stored ONCE, when the generation ends, with model, usage and status: `complete`,
 *   `incomplete` (the user pressed Stop), or `error` (model failure, timeout or stall; partial text kept);
 * - generation does not depend on the client: the service drains its own copy of the stream, so a closed tab
 *   changes nothing and the reply is stored complete;
 * - one generation per session at a time, on any instance: a compare-and-set lease in chat_sessions
 *   (a second send answers 409 and stores nothing); the lease is released in every path;
 * - sends (and regenerations) per user are rate limited before anything else happens: a refused one answers
 *   429 `rate_limited:chat` with Retry-After and stores nothing.
 * No per-token database writes: the reply is accumulated in memory and written once.
 */

/**
 * A send, and then in the background, once the reply is stored: the chat's title after its first exchange, and
 * the session's summary if one is due.
 */
export async function sendMessage(input: StartGenerationInput): Promise<Generation> {
  const generation = await startGeneration(input);
  runAfter(titleAfterReply(input.ownerId, generation), "chat title");
  runAfter(summarizeAfterReply(input.ownerId, generation));
  return generation;
}

/** A send without the title and summary that follow it (sendMessage is the entry point; tests drive the phases here). */
export async function startGeneration(input: StartGenerationInput): Promise<Generation> {
  const { ownerId, sessionId, timer } = input;
  // A shutting-down instance takes no new work (503), before anything is counted or stored.
  assertAcceptingWork();
  // First, so a throttled client costs no database work; every attempt counts (each may call the model).
  await consumeChatMessage(ownerId);
  const found = await getSessionWithProject(ownerId, sessionId);
  let session = found?.session;
  let project: ProjectRow;
  let modelId: string;
  if (found)
    ({
      project,
      session: { model: modelId },
    } = found);
  // A chat the screen has not stored yet is created below, with its first message (or not at all).
  else if (input.newChat) ({ project, model: modelId } = await resolveNewChat(ownerId, input.newChat));
  else throw notFound("session");
  timer?.mark("load");
  let model = await requireUsableModel(modelId, ownerId);
  const config = getConfig();
  timer?.mark("model");

  const generationId = randomUUID();
  const lease = holdLease(ownerId, sessionId, generationId);
  try {
    let turn: ClaimedTurn | undefined;
    if (!session) {
      const started = await claimNewChatTurn({ input, generationId, project, model, config });
      if (started) ({ session, turn } = started);
      else {
        // The id was taken meanwhile: by this caller's same first send arriving twice (then this one is a
        // second send to that chat, refused below as a duplicate) or by a chat that is not the caller's.
        const again = await getSessionWithProject(ownerId, sessionId);
        if (!again) throw notFound("session");
        ({ session, project } = again);
        model = await requireUsableModel(session.model, ownerId);
      }
    }
    turn ??= await claimTurnWithHistory({ input, generationId, session, project, model, config });
    if (!turn) {
      lease.forget();
      throw await refusalOf(input, config.limits.messagesPerSession);
    }
    const cutoff = createCutoff();
    const result = callModel(model, turn.modelInput, cutoff.signal);
    timer?.mark("call");
    const assistantMessageId = randomUUID();
    const parentId = turn.userMessage?.id;
    const drained = result.stream; // our own copy, taken before any consumer reads
    registerGeneration(sessionId, generationId, () => cutoff.cut("stop"));
    // Watchers on any instance (reattach after a reload, another tab): the deltas, and the end once stored.
    const live = openLiveFeed({ sessionId, generationId, assistantMessageId, model: model.id });
    const done = drain(drained, {
      ownerId,
      sessionId,
      generationId,
      cutoff,
      totalMs: config.modelTimeoutMs,
      stallMs: config.modelStallTimeoutMs,
      live,
    })
      .then((reply) =>
        storeReply(
          {
            ownerId,
            sessionId,
            generationId,
            assistantMessageId,
            parentId,
            modelId: model.id,
            billedToUserKey: model.your_key,
            lease,
          },
          reply,
        ),
      )
      .finally(live.end);
    return {
      generationId,
      session,
      project,
      model,
      userMessage: turn.userMessage,
      assistantMessageId,
      result,
      done,
      stop: () => cutoff.cut("stop"),
    };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

function callModel(model: ModelInfo, modelInput: ModelInput, abortSignal: AbortSignal) {
  return streamText({
    model: getLanguageModel(model),
    instructions: modelInput.instructions,
    messages: modelInput.messages,
    abortSignal,
    // Retries would hide a failure behind seconds of waiting; the user has Retry, the API client its own policy.
    maxRetries: 0,
    // Errors are handled from the stream itself (drain.ts); the default handler would log upstream text.
    onError: () => {},
  });
}
