import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import type { ModelInfo } from "@/lib/ai/models";
import { getConfig, type Config } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { getActiveLeaf, getMessage, moveActiveLeafIn, readPathContext, type PathContext } from "@/lib/db/queries/messages";
import { setSummaryInUse } from "@/lib/db/queries/memory";
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
  project,
  model,
  config,
}: ClaimContext): Promise<ClaimedTurn | undefined> {
  const { timer } = input;
  // The lease outlives the longest allowed generation, so a crashed instance frees the session on its own.
  const settings = resolveMemorySettings(project, config.memory);
  const turn = await claimTurn(input, generationId, leaseMsOf(config), settings.enabled);
  if (!turn) return undefined;
  // "claim" covers the history read too (it runs beside the claim); "history" is then only the trimming below.
  timer?.mark("claim");
  const { userMessage, newMessage, path } = turn;
  const modelInput = buildModelInput({
    systemPrompt: project.systemPrompt,
    summary: path.summary?.text ?? null,
    history: path.messages.map((m) => ({ seq: m.seq, role: m.role, content: m.content })),
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
  userMessage: MessageRow;
  newMessage: string;
  /** The path before the turn's question (its summary, if memory is on, and the messages after it). */
  path: PathContext;
}

const emptyPath: PathContext = { leafId: undefined, summary: null, messages: [] };

/** The path ending at `leafId` (none: the empty path of a chat's first message). */
const pathTo = (ownerId: string, sessionId: string, leafId: string | null, withSummary: boolean) =>
  leafId ? readPathContext(ownerId, sessionId, { leafId, withSummary }) : Promise.resolve(emptyPath);

/** Where the user message goes: after the active leaf (absent), after a message, or beside the one it edits. */
const placeOf = (input: StartGenerationInput) =>
  input.editOf ? { editOf: input.editOf } : input.parentId ? { parentId: input.parentId } : undefined;

/**
 * Takes the session's lease and stores the user message (submit) or picks the question to answer again
 * (regenerate). Undefined when another generation holds the lease: then nothing was written.
 *
 * Submit does both in ONE statement: the send then waits for one durable commit before the model is called
 * instead of two (each commit waits for the WAL flush, 2–4 ms on a local disk, more on a busy one; this was the
 * largest part of the time Parley added before the first token). The guarantees are unchanged: the lease is
 * held and the user message is stored (committed) before the model is called; a refused lease stores nothing.
 * A plain send reads the path beside the claim (its snapshot's active leaf); the message's stored parent says
 * whether that was the right path (it is read again if not: never a history from another branch).
 *
 * An edit (a new version of an earlier question) or a regenerate (another reply to a question, the previous
 * ones kept as its versions) moves the chat to another path: the summary in use follows it
 * (moveActiveLeafIn), before the model is called.
 */
async function claimTurn(
  input: StartGenerationInput,
  generationId: string,
  leaseMs: number,
  withSummary: boolean,
): Promise<Turn | undefined> {
  const { ownerId, sessionId } = input;
  if (input.trigger === "regenerate-message") {
    if (!(await acquireGeneration(ownerId, sessionId, generationId, leaseMs, { withinBudget: true }))) return undefined;
    let question = input.parentId
      ? await getMessage(ownerId, sessionId, input.parentId)
      : await getActiveLeaf(ownerId, sessionId);
    if (!input.parentId && question?.role === "assistant" && question.parentId)
      question = await getMessage(ownerId, sessionId, question.parentId);
    if (input.parentId && !question) throw notFound("message");
    if (!question || question.role !== "user")
      throw new ApiError("validation", "message", "There is no message to answer again in this chat");
    const db = await getDb();
    await moveActiveLeafIn(db, ownerId, sessionId, question.id);
    const path = await pathTo(ownerId, sessionId, question.parentId, withSummary);
    return { userMessage: question, newMessage: question.content, path };
  }
  const text = input.text ?? "";
  const maxMessages = getConfig().limits.messagesPerSession;
  const place = placeOf(input);
  const [userMessage, beside] = await Promise.all([
    claimLeaseAndAppendUserMessage(ownerId, sessionId, {
      generationId,
      leaseMs,
      id: input.userMessageId,
      content: text,
      maxMessages,
      place,
    }),
    place ? Promise.resolve(undefined) : readPathContext(ownerId, sessionId, { withSummary }),
  ]);
  if (!userMessage) return undefined;
  const parentId = userMessage.parentId ?? null;
  const path = beside && (beside.leafId ?? null) === parentId ? beside : await pathTo(ownerId, sessionId, parentId, withSummary);
  if (place) await setSummaryInUse(ownerId, sessionId, path.summary);
  return { userMessage, newMessage: text, path };
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
      : await claimRefusal(input.ownerId, input.sessionId, { id: input.userMessageId, maxMessages, place: placeOf(input) });
  if (reason === "budget") return budgetExceeded();
  if (reason === "duplicate") return new ApiError("conflict", "message", "This message was already sent in this chat");
  if (reason === "no_place") return notFound("message");
  if (reason === "limit") {
    return new ApiError(
      "limit",
      "messages",
      `This chat has reached the limit of ${maxMessages.toLocaleString("en-US")} messages; start a new chat to go on`,
    );
  }
  return generationBusy();
}

/** 409 `conflict:generation`: the chat's lease is held by a reply being generated. */
export const generationBusy = () =>
  new ApiError("conflict", "generation", "A reply is still being generated in this chat; wait for it or stop it first");
