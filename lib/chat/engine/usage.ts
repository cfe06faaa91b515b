import type { LanguageModelUsage } from "ai";

/** Tokens of one reply as Parley stores and reports them: null where the provider did not say. */
export interface GenerationUsage {
  input_tokens: number | null;
  output_tokens: number | null;
}

/** The one mapping from the AI SDK's usage to Parley's, for the stored reply and the UI stream's metadata alike. */
export function usageOf(usage: Pick<LanguageModelUsage, "inputTokens" | "outputTokens">): GenerationUsage {
  return { input_tokens: usage.inputTokens ?? null, output_tokens: usage.outputTokens ?? null };
}
