import "server-only";
import type { LanguageModelUsage, ProviderMetadata } from "ai";
import { costOf, usageOf } from "@/lib/chat/engine/usage";
import { loggable } from "@/lib/db/errors";
import { recordUsage } from "@/lib/db/queries/usage";
import type { UsageKind } from "@/lib/db/schema";

/**
 * Records what a chat's side call (its title, a memory summary) cost, once, when the call has answered. Never
 * rejects: accounting must not turn a good title or summary into a failure; a lost row is logged.
 * (A reply's usage is written with the reply itself, lib/db/queries/messages.ts.)
 */
export async function recordCallUsage(
  ownerId: string,
  sessionId: string,
  kind: Exclude<UsageKind, "reply">,
  model: string,
  call: { usage: Pick<LanguageModelUsage, "inputTokens" | "outputTokens">; providerMetadata?: ProviderMetadata | undefined },
  { billedToUserKey }: { billedToUserKey: boolean },
): Promise<void> {
  const usage = usageOf(call.usage, costOf(call.providerMetadata));
  try {
    await recordUsage(ownerId, sessionId, {
      kind,
      model,
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cost: usage.cost,
      billedToUserKey,
    });
  } catch (error) {
    console.warn(`[parley] recording the ${kind} usage of chat ${sessionId} failed:`, loggable(error));
  }
}
