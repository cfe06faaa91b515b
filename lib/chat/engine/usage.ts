import type { LanguageModelUsage, ProviderMetadata } from "ai";

/** Tokens and cost of one model call as Parley stores and reports them: null where the provider did not say. */
export interface GenerationUsage {
  input_tokens: number | null;
  output_tokens: number | null;
  /**
   * USD as an exact decimal string ("0.000123456"), as OpenRouter's usage accounting reported it; null when no
   * cost was reported (local and offline models). A string, never a float, so stored sums stay exact.
   */
  cost: string | null;
}

/** The one mapping from the AI SDK's usage to Parley's, for the stored reply and the UI stream's metadata alike. */
export function usageOf(
  usage: Pick<LanguageModelUsage, "inputTokens" | "outputTokens">,
  cost: string | null = null,
): GenerationUsage {
  return { input_tokens: usage.inputTokens ?? null, output_tokens: usage.outputTokens ?? null, cost };
}

/** A stored message's usage, as the API reports it (the history, a retried send's stored reply). */
export function storedUsageOf(row: {
  inputTokens: number | null;
  outputTokens: number | null;
  cost: string | null;
}): GenerationUsage {
  return { input_tokens: row.inputTokens, output_tokens: row.outputTokens, cost: row.cost };
}

/**
 * The cost OpenRouter reported for a call (`providerMetadata.openrouter.usage.cost`, present because every
 * OpenRouter model is made with `usage: { include: true }`, lib/ai/openrouter.ts), as a decimal string.
 */
export function costOf(metadata: ProviderMetadata | undefined): string | null {
  const openrouter = metadata?.openrouter;
  const usage = openrouter && typeof openrouter === "object" && "usage" in openrouter ? openrouter.usage : undefined;
  const cost = usage && typeof usage === "object" && "cost" in usage ? usage.cost : undefined;
  return typeof cost === "number" ? decimalOf(cost) : null;
}

/**
 * A reported cost as plain decimal text. The provider parsed OpenRouter's JSON number into a double; the
 * shortest text that reads back as that double is the number OpenRouter wrote (JSON.parse and String round-trip
 * for up to 17 significant digits), so nothing is lost. Exponent notation (1.5e-7) is spelled out, and a
 * negative or non-finite value (never a real charge) is refused.
 */
export function decimalOf(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const text = String(value);
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, lead = "", rest = "", exp = "0"] = match;
  const digits = lead + rest;
  const point = 1 + Number(exp);
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  // Stryker disable next-line StringLiteral,MethodExpression: unreachable: String() writes exponents only below 1e-6 and from 1e21, where the point falls outside the digits (the two lines above)
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
