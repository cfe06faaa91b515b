import type { MemorySettings } from "./settings";
import type { MemoryMessage } from "./plan";
import { withMemorySection } from "./prompt";
import { estimateMessageTokens, estimateTokens, inputBudget } from "./tokens";

export interface ModelTurn {
  role: "user" | "assistant";
  content: string;
}

export interface ModelInput {
  instructions?: string;
  messages: ModelTurn[];
  /** Earlier turns left out of this one request to stay within budget (never out of the database). */
  omittedTurns: number;
  /** Estimated input tokens of this request. */
  estimatedTokens: number;
  /** True when the input only fits because turns were left out: a summary is overdue. */
  summaryOverdue: boolean;
}

/**
 * What the model sees: the project's system prompt, then the summary in a delimited section (as instructions);
 * then every message after the summary's boundary as real user/assistant turns; then the new message.
 * With memory off, the summary is ignored and the history is complete. The input never passes the budget:
 * when it would, the oldest verbatim turns are left out of this request, whole turns at a time.
 */
export function buildModelInput(input: {
  systemPrompt: string;
  summary: string | null;
  /** Messages after the summary's boundary (or the whole history with memory off), oldest first, excluding the new one. */
  history: MemoryMessage[];
  newMessage: string;
  settings: MemorySettings;
  contextWindow: number;
}): ModelInput {
  const instructions = withMemorySection(input.systemPrompt, input.settings.enabled ? input.summary : null);
  const budget = inputBudget(input.contextWindow, input.settings.contextShare);
  // Replies that failed before any text have nothing to show the model.
  let turns: ModelTurn[] = input.history
    .filter((m) => m.content.trim() !== "")
    .map((m) => ({ role: m.role, content: m.content }));
  const fixed = estimateTokens(instructions ?? "") + estimateMessageTokens(input.newMessage);
  let total = fixed + turns.reduce((sum, t) => sum + estimateMessageTokens(t.content), 0);
  let omitted = 0;
  while (total > budget && turns.length > 0) {
    // Drop the oldest turn: a user message with the replies that follow it.
    let cut = 1;
    while (cut < turns.length && turns[cut]?.role !== "user") cut++;
    total -= turns.slice(0, cut).reduce((sum, t) => sum + estimateMessageTokens(t.content), 0);
    omitted += cut;
    turns = turns.slice(cut);
  }
  return {
    instructions,
    messages: [...turns, { role: "user", content: input.newMessage }],
    omittedTurns: omitted,
    estimatedTokens: total,
    summaryOverdue: omitted > 0,
  };
}
