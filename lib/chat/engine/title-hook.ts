import "server-only";
import { generateText } from "ai";
import { configuredModelOr, getLanguageModel, type ModelInfo } from "@/lib/ai/models";
import { DEFAULT_CHAT_TITLE, sanitizeTitle, TITLE_INSTRUCTIONS, titlePrompt } from "@/lib/chats/title-prompt";
import { getConfig } from "@/lib/config/env";
import { setGeneratedTitle } from "@/lib/db/queries/sessions";
import { recordCallUsage } from "@/lib/usage/record";
import type { Generation } from "./types";

/**
 * After the first reply of a chat is stored: name the chat from its first exchange. Runs in `after()` beside
 * the summary check, so the reply never waits for it. A chat that already has a title (generated, or set by
 * its user: the UPDATE checks that itself, so a rename during the call wins) keeps it. A failure keeps the
 * default title, is logged once, and changes nothing else: the turn was stored before this began.
 */

export type TitleOutcome = "skipped" | "titled" | "kept" | "failed";

class TitleError extends Error {}

/**
 * TITLE_MODEL, else MEMORY_SUMMARY_MODEL, else the chat's own model (each only if usable now), as `ownerId` may use
 * it: with their own OpenRouter key, an OpenRouter title model is called with (and billed to) that key.
 */
export async function titleModelFor(chatModel: ModelInfo, ownerId?: string): Promise<ModelInfo> {
  const config = getConfig();
  const summaryModel = await configuredModelOr(config.memory.summaryModel, chatModel, ownerId);
  return configuredModelOr(config.titleModel, summaryModel, ownerId);
}

/** Never rejects. */
export async function titleAfterReply(ownerId: string, generation: Generation): Promise<TitleOutcome> {
  const outcome = await generation.done;
  const { session, userMessage } = generation;
  // Only the first exchange (its first answer, or a regenerated one), and only a complete answer: an error
  // reply says nothing about the conversation.
  if (!outcome.message || outcome.status !== "complete" || userMessage?.seq !== 1) return "skipped";
  if (session.titleSetByUser || session.title !== DEFAULT_CHAT_TITLE) return "skipped";
  try {
    const model = await titleModelFor(generation.model, ownerId);
    const result = await generateText({
      model: getLanguageModel(model),
      instructions: TITLE_INSTRUCTIONS,
      prompt: titlePrompt(userMessage.content, outcome.message.content),
      // A title is a nicety: one attempt, and a failure leaves "New Chat".
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(getConfig().modelTimeoutMs),
    });
    // Paid for whether or not its answer makes a usable title.
    await recordCallUsage(ownerId, session.id, "title", model.id, result, { billedToUserKey: model.your_key });
    const title = sanitizeTitle(result.text);
    if (!title) throw new TitleError("the model answered no usable title");
    return (await setGeneratedTitle(ownerId, session.id, title, DEFAULT_CHAT_TITLE)) ? "titled" : "kept";
  } catch (error) {
    console.warn(`[parley] title for chat ${session.id} failed; it stays "${DEFAULT_CHAT_TITLE}":`, describeFailure(error));
    return "failed";
  }
}

/** One short line: no upstream text (it can echo the prompt) in the logs. */
function describeFailure(error: unknown): string {
  if (error instanceof TitleError) return error.message;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "the title model timed out";
  return `the title model failed (${error instanceof Error ? error.name : typeof error})`;
}
