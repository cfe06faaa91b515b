import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import type { ModelInfo } from "@/lib/ai/models";
import { getConfig, type Config } from "@/lib/config/env";
import { deleteMessage, getLastMessage, listMessagesAfter } from "@/lib/db/queries/messages";
import { claimLeaseAndAppendUserMessage, claimRefusal, isOverBudget, startChatWithFirstMessage } from "@/lib/db/queries/turns";
import { acquireGeneration } from "@/lib/db/queries/sessions";
import { BudgetExceededError, LimitReachedError } from "@/lib/db/errors";
import type { ChatSessionRow, MessageRow, ProjectRow } from "@/lib/db/schema";
import { DEFAULT_CHAT_TITLE, sessionLimitError } from "@/lib/chats/service";
import { buildModelInput, type ModelInput } from "@/lib/memory/context";
import { resolveMemorySettings } from "@/lib/memory/settings";
import type { StartGenerationInput } from "./types";

/** The claim phase of a send: the session's lease, the user message, and the history the model will see. */

export interface ClaimContext {
  input: StartGenerationInput;
  generationId: string;
  session: ChatSessionRow;
  project: ProjectRow;
  model: ModelInfo;
  config: Config;
}

export interface ClaimedTurn {
  userMessage: MessageRow | undefined;
  modelInput: ModelInput;
}

/** Undefined when the claim was refused: then nothing was written and no lease is held. */
export async function claimTurnWithHistory({
  input,
  generationId,
  session,
  project,
  model,
  config,
}: ClaimContext): Promise<ClaimedTurn | undefined> {
  const { ownerId, sessionId, timer } = input;
  // The lease outlives the longest allowed generation, so a crashed instance frees the session on its own.
  const settings = resolveMemorySettings(project, config.memory);
  // The history is read while the turn is claimed (two connections, one wait): only messages before the
  // turn's own are kept, so whatever the claim adds or removes meanwhile cannot slip in.
  const [turn, earlier] = await Promise.all([
    claimTurn(input, generationId, leaseMsOf(config)),
    listMessagesAfter(ownerId, sessionId, settings.enabled ? session.summaryThroughSeq : 0),
  ]);
  if (!turn) return undefined;
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
  return { userMessage, modelInput };
}

/** The lease a turn holds: longer than the longest allowed generation, so a crashed instance frees the chat. */
const leaseMsOf = (config: Config) => config.modelTimeoutMs + 30_000;

/**
 * The claim phase of a chat's first message (#14): the chat is created with the message, in one transaction.
 * Undefined when a chat with this id exists already (nothing written): the caller then sends to it as usual.
 */
export async function claimNewChatTurn({
  input,
  generationId,
  project,
  model,
  config,
}: Omit<ClaimContext, "session">): Promise<{ session: ChatSessionRow; turn: ClaimedTurn } | undefined> {
  const { ownerId, sessionId, timer } = input;
  const text = input.text ?? "";
  const started = await startChatWithFirstMessage(
    ownerId,
    {
      id: sessionId,
      projectId: project.id,
      title: DEFAULT_CHAT_TITLE,
      model: model.id,
      maxSessions: config.limits.sessionsPerProject,
    },
    { generationId, leaseMs: leaseMsOf(config), id: input.userMessageId, content: text },
  ).catch((error: unknown) => {
    if (error instanceof LimitReachedError) throw sessionLimitError(error);
    if (error instanceof BudgetExceededError) throw budgetExceeded();
    throw error;
  });
  if (started === "taken") return undefined;
  // The project was read just before; gone (or never the caller's) by now: the same answer as then.
  if (!started) throw notFound("project");
  timer?.mark("claim");
  const modelInput = buildModelInput({
    systemPrompt: project.systemPrompt,
    summary: null,
    history: [],
    newMessage: text,
    settings: resolveMemorySettings(project, config.memory),
    contextWindow: model.context_window,
  });
  timer?.mark("history");
  return { session: started.session, turn: { userMessage: started.userMessage, modelInput } };
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
    if (!(await acquireGeneration(ownerId, sessionId, generationId, leaseMs, { withinBudget: true }))) return undefined;
    let last = await getLastMessage(ownerId, sessionId);
    if (last?.role === "assistant") {
      await deleteMessage(ownerId, sessionId, last.id);
      last = await getLastMessage(ownerId, sessionId);
    }
    if (!last || last.role !== "user")
      throw new ApiError("validation", "message", "There is no message to answer again in this chat");
    return { userMessage: last, newMessage: last.content, historyAfterSeq: last.seq };
  }
  const text = input.text ?? "";
  const maxMessages = getConfig().limits.messagesPerSession;
  const userMessage = await claimLeaseAndAppendUserMessage(ownerId, sessionId, {
    generationId,
    leaseMs,
    id: input.userMessageId,
    content: text,
    maxMessages,
  });
  return userMessage && { userMessage, newMessage: text, historyAfterSeq: userMessage.seq };
}

/**
 * 402 `budget_exceeded:chat`: the claim statement refused the turn because the owner's monthly budget is used
 * up (the budget is one of its conditions: checking it costs the send no round trip of its own). Always before
 * the model is called, so a reply is never cut for it: the reply that crosses the limit is the last one.
 */
export const budgetExceeded = () =>
  new ApiError(
    "budget_exceeded",
    "chat",
    "You have used up this month's budget set by an administrator of this Parley: no new replies until the month ends (UTC) or an administrator raises it.",
  );

/** The answer to a refused claim (regenerate takes the lease within the budget: held or over budget). */
export async function refusalOf(input: StartGenerationInput, maxMessages: number): Promise<ApiError> {
  const reason =
    input.trigger === "regenerate-message"
      ? (await isOverBudget(input.ownerId))
        ? "budget"
        : "busy"
      : await claimRefusal(input.ownerId, input.sessionId, { id: input.userMessageId, maxMessages });
  if (reason === "budget") return budgetExceeded();
  if (reason === "duplicate") return new ApiError("conflict", "message", "This message was already sent in this chat");
  if (reason === "limit") {
    return new ApiError(
      "limit",
      "messages",
      `This chat has reached the limit of ${maxMessages.toLocaleString("en-US")} messages; start a new chat to go on`,
    );
  }
  return new ApiError("conflict", "generation", "A reply is still being generated in this chat; wait for it or stop it first");
}
