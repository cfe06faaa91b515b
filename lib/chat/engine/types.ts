import type { streamText, ToolSet } from "ai";
import type { ModelInfo } from "@/lib/ai/models";
import type { ChatSessionRow, MessageRow, MessageStatus, ProjectRow } from "@/lib/db/schema";
import type { GenerationErrorCode } from "./errors";
import type { PhaseTimer } from "./server-timing";
import type { GenerationUsage } from "./usage";

export type ChatStreamResult = ReturnType<typeof streamText<ToolSet>>;

export type SendTrigger = "submit-message" | "regenerate-message";

export interface StartGenerationInput {
  ownerId: string;
  sessionId: string;
  /** The new user message (ignored for regenerate, which answers the last user message again). */
  text?: string;
  trigger?: SendTrigger;
  /**
   * Submit: the message the new one follows (default: the active leaf). Regenerate: the question to answer
   * again (default: the active path's last question). The previous replies stay, as versions.
   */
  parentId?: string;
  /** Submit: a new version of this earlier user message (same parent); the old branch stays. */
  editOf?: string;
  /** Id for the user message row (the UI's id, so its optimistic message and the stored one agree). */
  userMessageId?: string;
  /**
   * The chat screen's first message of a chat it has not stored yet (#14): when no chat `sessionId` of the caller
   * exists, it is created in this project (with this model, else the project's default) together with the
   * message, or not at all. A chat of the caller with this id (a retry) is sent to as usual.
   */
  newChat?: { projectId: string; model?: string };
  /** Records the phases before the model call (the routes report them as Server-Timing). */
  timer?: PhaseTimer;
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
