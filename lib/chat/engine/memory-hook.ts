import "server-only";
import { configuredModelOr, getLanguageModel } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import { maybeSummarize, type SummarizeOutcome } from "@/lib/memory/summarize";
import type { Generation } from "./types";

/**
 * After a reply is stored: check whether this session's memory is due for a summary, and make it. Runs in
 * `after()`, so neither the reply nor the next send ever waits for it.
 */
export async function summarizeAfterReply(ownerId: string, generation: Generation): Promise<SummarizeOutcome | "skipped"> {
  const outcome = await generation.done;
  if (!outcome.message) return "skipped";
  // As the reply: with the user's own OpenRouter key, an OpenRouter summarizer is called with (and billed to) it.
  const summarizer = await configuredModelOr(getConfig().memory.summaryModel, generation.model, ownerId);
  return maybeSummarize(
    ownerId,
    generation.session.id,
    {
      model: getLanguageModel(summarizer),
      modelId: summarizer.id,
      billedToUserKey: summarizer.your_key,
      chatContextWindow: generation.model.context_window,
      summarizerContextWindow: summarizer.context_window,
      // The path this reply ends: the one the user is on, whatever branch is active by the time this runs.
    },
    outcome.message.id,
  );
}
