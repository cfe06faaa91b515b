import "server-only";
import type { MessageStatus } from "@/lib/db/schema";
import { isGenerationActive } from "@/lib/db/queries/sessions";
import { classifyModelError, type GenerationErrorCode } from "./errors";
import type { ChatStreamResult } from "./types";
import type { GenerationUsage } from "./usage";
import { costOf, usageOf } from "./usage";

/**
 * The drain phase of a send: the service reads its own copy of the model stream to the end, whoever else reads
 * (or stops reading) the response, and decides how the reply ends. Only two things end a generation early: the
 * user's Stop, and our timeouts (total and stall). Never request.signal: a closed tab must not cut the reply short.
 */

/** How often a generation on a shared database checks whether a Stop arrived at another instance. */
const STOP_POLL_MS = 500;

export type CutReason = "stop" | "timeout" | "stall";

export interface Cutoff {
  readonly signal: AbortSignal;
  /** Why the generation was ended early (the first reason wins); undefined if it was not. */
  readonly reason: CutReason | undefined;
  cut(reason: CutReason): void;
}

export function createCutoff(): Cutoff {
  const controller = new AbortController();
  let reason: CutReason | undefined;
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    cut(next) {
      if (controller.signal.aborted) return;
      reason = next;
      controller.abort(new DOMException(`Generation ${next}`, "AbortError"));
    },
  };
}

export interface DrainContext {
  ownerId: string;
  sessionId: string;
  generationId: string;
  cutoff: Cutoff;
  totalMs: number;
  stallMs: number;
  /** Where the deltas also go, for watchers of the live reply (lib/chat/live/feed.ts). */
  live?: { text(delta: string): void; reasoning(delta: string): void };
}

/** What the drain leaves to store: the reply as it arrived, and how it ended. */
export interface Drained {
  status: MessageStatus;
  errorCode?: GenerationErrorCode;
  text: string;
  reasoning: string;
  usage: GenerationUsage;
  streamed: boolean;
}

/** Never rejects: a failed read is one more way for the reply to end in `error`. */
export async function drain(stream: ChatStreamResult["stream"], context: DrainContext): Promise<Drained> {
  const watch = watchGeneration(context);
  let read: ReadParts;
  try {
    read = await readParts(stream, watch.armStall, context.live);
  } finally {
    watch.clear();
  }
  const { text, reasoning, usage, streamed } = read;
  return { text, reasoning, usage, streamed, ...decideStatus(context.cutoff.reason, read, context.generationId) };
}

function watchGeneration({ ownerId, sessionId, generationId, cutoff, totalMs, stallMs }: DrainContext) {
  const totalTimer = setTimeout(() => cutoff.cut("timeout"), totalMs);
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  // A Stop that did not reach this generation in-process (another instance, or another route bundle of
  // this server, which need not share module state) clears the lease in the database: poll for it.
  const poll = setInterval(() => {
    void isGenerationActive(ownerId, sessionId, generationId)
      .then((active) => {
        if (!active) cutoff.cut("stop");
      })
      .catch(() => {});
  }, STOP_POLL_MS);
  return {
    armStall() {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => cutoff.cut("stall"), stallMs);
    },
    clear() {
      clearTimeout(totalTimer);
      clearTimeout(stallTimer);
      clearInterval(poll);
    },
  };
}

interface ReadParts {
  text: string;
  reasoning: string;
  streamed: boolean;
  usage: GenerationUsage;
  failure: unknown;
  finished: boolean;
}

/** Reads the stream to its end; `onPart` runs before the first part and after each one (the stall timer). */
async function readParts(
  stream: ChatStreamResult["stream"],
  onPart: () => void,
  live?: DrainContext["live"],
): Promise<ReadParts> {
  const read: ReadParts = {
    text: "",
    reasoning: "",
    streamed: false,
    usage: { input_tokens: null, output_tokens: null, cost: null },
    failure: undefined,
    finished: false,
  };
  let cost: string | null = null;
  try {
    onPart();
    const reader = stream.getReader();
    for (;;) {
      const { done: end, value: part } = await reader.read();
      if (end) break;
      onPart();
      if (part.type === "text-delta") {
        read.text += part.text;
        if (part.text) read.streamed = true;
        live?.text(part.text);
      } else if (part.type === "reasoning-delta") {
        read.reasoning += part.text;
        if (part.text) read.streamed = true;
        live?.reasoning(part.text);
      } else if (part.type === "error") {
        read.failure ??= part.error;
      } else if (part.type === "finish-step") {
        // The cost rides on the step's provider metadata (a send is one step: no tools), the tokens on finish.
        cost = costOf(part.providerMetadata) ?? cost;
      } else if (part.type === "finish") {
        read.finished = true;
        read.usage = usageOf(part.totalUsage, cost);
      }
    }
  } catch (error) {
    read.failure ??= error;
  }
  return read;
}

function decideStatus(
  cutoff: CutReason | undefined,
  read: ReadParts,
  generationId: string,
): { status: MessageStatus; errorCode?: GenerationErrorCode } {
  if (cutoff === "stop") return { status: "incomplete" };
  if (cutoff === "timeout") return { status: "error", errorCode: "upstream:timeout" };
  if (cutoff === "stall") return { status: "error", errorCode: "upstream:stall" };
  if (read.failure !== undefined) {
    const errorCode = classifyModelError(read.failure);
    console.warn(`[parley] generation ${generationId} failed:`, describe(read.failure));
    return { status: "error", errorCode };
  }
  if (!read.finished) return { status: "error", errorCode: "upstream:model" };
  return { status: "complete" };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
