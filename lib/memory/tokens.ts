/**
 * A cheap, provider-independent token estimate (about four characters a token for English text, plus a few
 * tokens of framing per message). Budgets are enforced with it before a request is sent; the provider's real
 * usage is what the context gauge shows afterwards.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateMessageTokens(content: string): number {
  return estimateTokens(content) + MESSAGE_OVERHEAD_TOKENS;
}

/**
 * What the input of one request may use: the configured share of the model's window, and never so much that
 * the reply has no room left.
 */
export function inputBudget(contextWindow: number, share: number): number {
  const replyReserve = Math.min(4096, Math.floor(contextWindow * 0.25));
  return Math.max(256, Math.min(Math.floor(contextWindow * share), contextWindow - replyReserve));
}
