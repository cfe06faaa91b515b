import "server-only";
import { loggable } from "@/lib/db/errors";
import { appendMessage, getMessage } from "@/lib/db/queries/messages";
import { releaseGeneration } from "@/lib/db/queries/sessions";
import { withDatabaseRetry } from "@/lib/db/retry";
import type { MessageRow } from "@/lib/db/schema";
import type { Drained } from "./drain";
import { generationErrorDetail } from "./errors";
import { unregisterGeneration } from "./stop-registry";
import type { GenerationOutcome } from "./types";

/** The store phase of a send: the reply is written ONCE, when the generation ends, and the lease released. */

/** The session's lease, released at most once, in every path. */
export interface Lease {
  release(): Promise<void>;
  /** The claim was refused: there is no lease to release. */
  forget(): void;
}

export function holdLease(ownerId: string, sessionId: string, generationId: string): Lease {
  let held = true;
  return {
    forget() {
      held = false;
    },
    async release() {
      if (!held) return;
      held = false;
      await withDatabaseRetry(() => releaseGeneration(ownerId, sessionId, generationId)).catch((error) =>
        console.error("[parley] releasing a generation lease failed:", loggable(error)),
      );
    },
  };
}

export interface StoreContext {
  ownerId: string;
  sessionId: string;
  generationId: string;
  assistantMessageId: string;
  /** The question the reply answers: its parent in the chat's tree. */
  parentId: string | undefined;
  modelId: string;
  /** The reply is made with the user's own OpenRouter key (its usage row is marked so). */
  billedToUserKey: boolean;
  lease: Lease;
}

/** Never rejects: a reply that could not be stored is reported as `internal:generation`. */
export async function storeReply(context: StoreContext, drained: Drained): Promise<GenerationOutcome> {
  let { status, errorCode } = drained;
  let message: MessageRow | undefined;
  try {
    message = await appendReply(context, drained);
  } catch (error) {
    console.error(`[parley] storing the reply of generation ${context.generationId} failed:`, loggable(error));
    // The client must not be told the reply is safe when it is not.
    status = "error";
    errorCode = "internal:generation";
  } finally {
    await context.lease.release();
    unregisterGeneration(context.sessionId, context.generationId);
  }
  const { text, reasoning, usage, streamed } = drained;
  return {
    status,
    text,
    reasoning,
    usage,
    message,
    streamed,
    ...(errorCode ? { error: { code: errorCode, detail: generationErrorDetail(errorCode) } } : {}),
  };
}

/**
 * A database restart while the model streamed must not lose the reply: wait for it (bounded). A retry first
 * looks for the reply, in case the failed attempt committed but its answer was lost on the way.
 */
function appendReply(
  { ownerId, sessionId, assistantMessageId, parentId, modelId, billedToUserKey }: StoreContext,
  { text, reasoning, status, usage, errorCode }: Drained,
): Promise<MessageRow | undefined> {
  let attempts = 0;
  const storedEarlier = () => (attempts++ > 0 ? getMessage(ownerId, sessionId, assistantMessageId) : Promise.resolve(undefined));
  return withDatabaseRetry(
    async () =>
      (await storedEarlier()) ??
      appendMessage(ownerId, sessionId, {
        id: assistantMessageId,
        parentId,
        role: "assistant",
        content: text,
        parts: [...(reasoning ? [{ type: "reasoning", text: reasoning }] : []), { type: "text", text }],
        status,
        model: modelId,
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cost: usage.cost,
        errorCode: errorCode ?? null,
        billedToUserKey,
      }),
  );
}
