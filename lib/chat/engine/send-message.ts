import "server-only";
import { randomUUID } from "node:crypto";
import { streamText, type ToolSet } from "ai";
import { ApiError, notFound } from "@/lib/api/errors";
import { consumeChatMessage } from "@/lib/rate-limit/policy";
import { getLanguageModel, requireUsableModel, type ModelInfo } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import { appendMessage, deleteMessage, getLastMessage, getMessage, listMessagesAfter } from "@/lib/db/queries/messages";
import { claimLeaseAndAppendUserMessage, claimRefusal } from "@/lib/db/queries/turns";
import { acquireGeneration, getSessionWithProject, isGenerationActive, releaseGeneration } from "@/lib/db/queries/sessions";
import { loggable } from "@/lib/db/errors";
import { withDatabaseRetry } from "@/lib/db/retry";
import type { ChatSessionRow, MessageRow, MessageStatus, ProjectRow } from "@/lib/db/schema";
import { buildModelInput } from "@/lib/memory/context";
import { resolveMemorySettings } from "@/lib/memory/settings";
import { classifyModelError, generationErrorDetail, type GenerationErrorCode } from "./errors";
import type { PhaseTimer } from "./server-timing";
import { registerGeneration, unregisterGeneration } from "./stop-registry";
import { assertAcceptingWork } from "@/lib/server/shutdown";

/**
 * THE send-message service: the REST API (`/api/v1/sessions/{id}/chat[/stream]`) and the UI's route
 * (`/api/chat`) both call `startGeneration`, then only differ in how they present `result.stream`.
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

type ChatStreamResult = ReturnType<typeof streamText<ToolSet>>;

export type SendTrigger = "submit-message" | "regenerate-message";

export interface StartGenerationInput {
  ownerId: string;
  sessionId: string;
  /** The new user message (ignored for regenerate, which answers the last user message again). */
  text?: string;
  trigger?: SendTrigger;
  /** Id for the user message row (the UI's id, so its optimistic message and the stored one agree). */
  userMessageId?: string;
  /** Records the phases before the model call (the routes report them as Server-Timing). */
  timer?: PhaseTimer;
}

export interface GenerationUsage {
  input_tokens: number | null;
  output_tokens: number | null;
}

export interface GenerationOutcome {
  status: MessageStatus;
  text: string;
  reasoning: string;
  usage: GenerationUsage;
  /** The stored assistant message (undefined only if the session was deleted meanwhile). */
  message: MessageRow | undefined;
  error?: { code: GenerationErrorCode; detail: string };
  /** True once any text or reasoning arrived: before that, a failure is "before the stream began". */
  streamed: boolean;
}

export interface Generation {
  generationId: string;
  session: ChatSessionRow;
  project: ProjectRow;
  model: ModelInfo;
  userMessage: MessageRow | undefined;
  /** Id the assistant message will be stored with (known up front so the UI stream can carry it). */
  assistantMessageId: string;
  result: ChatStreamResult;
  /** Settles (never rejects) when the reply is stored and the lease released. */
  done: Promise<GenerationOutcome>;
  /** The user's Stop: what arrived is stored, marked incomplete. */
  stop(): void;
}

/** How often a generation on a shared database checks whether a Stop arrived at another instance. */
const STOP_POLL_MS = 500;

export async function startGeneration(input: StartGenerationInput): Promise<Generation> {
  const { ownerId, sessionId, timer } = input;
  // A shutting-down instance takes no new work (503), before anything is counted or stored.
  assertAcceptingWork();
  // First, so a throttled client costs no database work; every attempt counts (each may call the model).
  await consumeChatMessage(ownerId);
  const found = await getSessionWithProject(ownerId, sessionId);
  if (!found) throw notFound("session");
  timer?.mark("load");
  const { session, project } = found;
  const model = await requireUsableModel(session.model);
  const config = getConfig();
  timer?.mark("model");

  const generationId = randomUUID();
  let lockHeld = true;
  const release = async () => {
    if (!lockHeld) return;
    lockHeld = false;
    await withDatabaseRetry(() => releaseGeneration(ownerId, sessionId, generationId)).catch((error) => console.error("[parley] releasing a generation lease failed:", loggable(error)));
  };

  try {
    // The lease outlives the longest allowed generation, so a crashed instance frees the session on its own.
    const settings = resolveMemorySettings(project, config.memory);
    // The history is read while the turn is claimed (two connections, one wait): only messages before the
    // turn's own are kept, so whatever the claim adds or removes meanwhile cannot slip in.
    const [turn, earlier] = await Promise.all([
      claimTurn(input, generationId, config.modelTimeoutMs + 30_000),
      listMessagesAfter(ownerId, sessionId, settings.enabled ? session.summaryThroughSeq : 0),
    ]);
    if (!turn) {
      lockHeld = false;
      throw await refusalOf(input, config.limits.messagesPerSession);
    }
    // "claim" covers the history read too (it runs beside the claim); "history" is then only the trimming below.
    timer?.mark("claim");
    const { userMessage, newMessage, historyAfterSeq } = turn;
    const history = earlier.filter((m) => m.seq < historyAfterSeq);
    const modelInput = buildModelInput({
      systemPrompt: project.systemPrompt,
      summary: session.summary,
      history: history.map((m) => ({ seq: m.seq, role: m.role, content: m.content })),
      newMessage,
      settings,
      contextWindow: model.context_window,
    });
    timer?.mark("history");

    // Only these two things end a generation early: the user's Stop, and our timeouts. Never request.signal:
    // a closed tab must not cut the reply short.
    const controller = new AbortController();
    let cutoff: "stop" | "timeout" | "stall" | undefined;
    const cut = (reason: "stop" | "timeout" | "stall") => {
      if (controller.signal.aborted) return;
      cutoff = reason;
      controller.abort(new DOMException(`Generation ${reason}`, "AbortError"));
    };

    const result = streamText({
      model: getLanguageModel(model),
      instructions: modelInput.instructions,
      messages: modelInput.messages,
      abortSignal: controller.signal,
      // Retries would hide a failure behind seconds of waiting; the user has Retry, the API client its own policy.
      maxRetries: 0,
      // Errors are handled from the stream itself (below); the default handler would log upstream text.
      onError: () => {},
    });

    timer?.mark("call");
    const assistantMessageId = randomUUID();
    const drained = result.stream; // our own copy, taken before any consumer reads
    registerGeneration(sessionId, generationId, () => cut("stop"));

    const done = (async (): Promise<GenerationOutcome> => {
      const totalTimer = setTimeout(() => cut("timeout"), config.modelTimeoutMs);
      let stallTimer: ReturnType<typeof setTimeout> | undefined;
      const armStall = () => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => cut("stall"), config.modelStallTimeoutMs);
      };
      // A Stop that did not reach this generation in-process (another instance, or another route bundle of
      // this server, which need not share module state) clears the lease in the database: poll for it.
      const poll = setInterval(() => {
        void isGenerationActive(ownerId, sessionId, generationId)
          .then((active) => {
            if (!active) cut("stop");
          })
          .catch(() => {});
      }, STOP_POLL_MS);

      let text = "";
      let reasoning = "";
      let streamed = false;
      let usage: GenerationUsage = { input_tokens: null, output_tokens: null };
      let failure: unknown;
      let finished = false;
      try {
        armStall();
        const reader = drained.getReader();
        for (;;) {
          const { done: end, value: part } = await reader.read();
          if (end) break;
          armStall();
          if (part.type === "text-delta") {
            text += part.text;
            if (part.text) streamed = true;
          } else if (part.type === "reasoning-delta") {
            reasoning += part.text;
            if (part.text) streamed = true;
          } else if (part.type === "error") {
            failure ??= part.error;
          } else if (part.type === "finish") {
            finished = true;
            usage = { input_tokens: part.totalUsage.inputTokens ?? null, output_tokens: part.totalUsage.outputTokens ?? null };
          }
        }
      } catch (error) {
        failure ??= error;
      } finally {
        clearTimeout(totalTimer);
        clearTimeout(stallTimer);
        clearInterval(poll);
      }

      let status: MessageStatus = "complete";
      let errorCode: GenerationErrorCode | undefined;
      if (cutoff === "stop") status = "incomplete";
      else if (cutoff === "timeout" || cutoff === "stall") {
        status = "error";
        errorCode = cutoff === "timeout" ? "upstream:timeout" : "upstream:stall";
      } else if (failure !== undefined || !finished) {
        status = "error";
        errorCode = failure !== undefined ? classifyModelError(failure) : "upstream:model";
        if (failure !== undefined) console.warn(`[parley] generation ${generationId} failed:`, describe(failure));
      }

      let message: MessageRow | undefined;
      try {
        // A database restart while the model streamed must not lose the reply: wait for it (bounded). A retry
        // first looks for the reply, in case the failed attempt committed but its answer was lost on the way.
        let attempts = 0;
        const storedEarlier = () => (attempts++ > 0 ? getMessage(ownerId, sessionId, assistantMessageId) : Promise.resolve(undefined));
        message = await withDatabaseRetry(async () => (await storedEarlier()) ?? appendMessage(ownerId, sessionId, {
          id: assistantMessageId,
          role: "assistant",
          content: text,
          parts: [...(reasoning ? [{ type: "reasoning", text: reasoning }] : []), { type: "text", text }],
          status,
          model: model.id,
          inputTokens: usage.input_tokens,
          outputTokens: usage.output_tokens,
          errorCode: errorCode ?? null,
        }));
      } catch (error) {
        console.error(`[parley] storing the reply of generation ${generationId} failed:`, loggable(error));
        // The client must not be told the reply is safe when it is not.
        status = "error";
        errorCode = "internal:generation";
      } finally {
        await release();
        unregisterGeneration(sessionId, generationId);
      }
      return {
        status,
        text,
        reasoning,
        usage,
        message,
        streamed,
        ...(errorCode ? { error: { code: errorCode, detail: generationErrorDetail(errorCode) } } : {}),
      };
    })();

    return { generationId, session, project, model, userMessage, assistantMessageId, result, done, stop: () => cut("stop") };
  } catch (error) {
    await release();
    throw error;
  }
}

interface Turn {
  userMessage: MessageRow | undefined;
  newMessage: string;
  /** History sent to the model is what came before this sequence number. */
  historyAfterSeq: number;
}

/**
 * Takes the session's lease and stores the user message (submit) or removes the reply being replaced
 * (regenerate). Undefined when another generation holds the lease: then nothing was written.
 *
 * Submit does both in ONE transaction: the send then waits for one durable commit before the model is called
 * instead of two (each commit waits for the WAL flush, 2–4 ms on a local disk, more on a busy one; this was the
 * largest part of the time Parley added before the first token). The guarantees are unchanged: the lease is
 * held and the user message is stored (committed) before the model is called; a refused lease stores nothing.
 *
 * Regenerate deletes the last assistant reply rather than keeping both: the schema has no "superseded" state,
 * and two replies to one question would both be sent to the model as history afterwards. It is rare and keeps
 * its separate steps (the caller releases the lease if they fail).
 */
async function claimTurn(input: StartGenerationInput, generationId: string, leaseMs: number): Promise<Turn | undefined> {
  const { ownerId, sessionId } = input;
  if (input.trigger === "regenerate-message") {
    if (!(await acquireGeneration(ownerId, sessionId, generationId, leaseMs))) return undefined;
    let last = await getLastMessage(ownerId, sessionId);
    if (last?.role === "assistant") {
      await deleteMessage(ownerId, sessionId, last.id);
      last = await getLastMessage(ownerId, sessionId);
    }
    if (!last || last.role !== "user") throw new ApiError("validation", "message", "There is no message to answer again in this chat");
    return { userMessage: last, newMessage: last.content, historyAfterSeq: last.seq };
  }
  const text = input.text ?? "";
  const maxMessages = getConfig().limits.messagesPerSession;
  const userMessage = await claimLeaseAndAppendUserMessage(ownerId, sessionId, { generationId, leaseMs, id: input.userMessageId, content: text, maxMessages });
  return userMessage && { userMessage, newMessage: text, historyAfterSeq: userMessage.seq };
}

/** The answer to a refused claim (regenerate takes only the lease: held is its one reason). */
async function refusalOf(input: StartGenerationInput, maxMessages: number): Promise<ApiError> {
  const reason = input.trigger === "regenerate-message" ? "busy" : await claimRefusal(input.ownerId, input.sessionId, { id: input.userMessageId, maxMessages });
  if (reason === "duplicate") return new ApiError("conflict", "message", "This message was already sent in this chat");
  if (reason === "limit") {
    return new ApiError("limit", "messages", `This chat has reached the limit of ${maxMessages.toLocaleString("en-US")} messages; start a new chat to go on`);
  }
  return new ApiError("conflict", "generation", "A reply is still being generated in this chat; wait for it or stop it first");
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
