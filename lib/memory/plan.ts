import type { MemorySettings } from "./settings";
import { estimateMessageTokens, estimateTokens, inputBudget } from "./tokens";

/** The few fields of a message that memory decisions need. */
export interface MemoryMessage {
  /** Set when the message is stored (a summary is keyed by its last message). */
  id?: string;
  seq: number;
  role: "user" | "assistant";
  content: string;
}

export interface SummaryPlan {
  due: boolean;
  /** Why it is due (for logs and tests). */
  reason?: "threshold" | "budget";
  /** The messages the next summary must cover (oldest first), ending at a turn boundary. */
  cover: MemoryMessage[];
}

/**
 * Decides whether a summary is due for the messages the current summary does not cover yet.
 * Due when the uncovered messages, minus the K most recent kept verbatim, reach N — or sooner, when the next
 * turn's input would pass the token budget. The cut always ends on an assistant reply, so the verbatim part
 * starts with a user turn and no question is separated from its answer.
 */
export function planSummary(input: {
  uncovered: MemoryMessage[];
  settings: MemorySettings;
  contextWindow: number;
  /** Tokens of the instructions (system prompt + current summary). */
  instructionTokens: number;
}): SummaryPlan {
  const { uncovered, settings } = input;
  if (!settings.enabled || uncovered.length === 0) return { due: false, cover: [] };

  const budget = inputBudget(input.contextWindow, settings.contextShare);
  const verbatimTokens = uncovered.reduce((sum, m) => sum + estimateMessageTokens(m.content), 0);
  // Room for the next user message, estimated as the average recent one.
  const nextTurnTokens = Math.max(64, Math.ceil(verbatimTokens / uncovered.length));
  const overBudget = input.instructionTokens + verbatimTokens + nextTurnTokens > budget;

  const byCount = toTurnBoundary(uncovered.slice(0, Math.max(0, uncovered.length - settings.keepRecent)));
  if (byCount.length >= settings.threshold) return { due: true, reason: "threshold", cover: byCount };
  if (!overBudget) return { due: false, cover: [] };

  // Over budget: cover everything but the kept messages; if the kept ones alone are too big, keep one turn.
  let cover = byCount;
  if (cover.length === 0) cover = toTurnBoundary(uncovered.slice(0, Math.max(0, uncovered.length - 2)));
  return cover.length > 0 ? { due: true, reason: "budget", cover } : { due: false, cover: [] };
}

/** Trims a prefix of messages so that it ends with an assistant message (a whole turn). */
export function toTurnBoundary(messages: MemoryMessage[]): MemoryMessage[] {
  let end = messages.length;
  // Stryker disable next-line OptionalChaining: equivalent (end > 0 keeps the index in range); `?.` is for noUncheckedIndexedAccess.
  while (end > 0 && messages[end - 1]?.role !== "assistant") end--;
  return messages.slice(0, end);
}

/**
 * Splits the messages to summarize into batches that each fit the summarizer's window with the running
 * summary. A message larger than a batch is split into parts (never dropped), and its parts stay together in
 * consecutive batches so a batch boundary always falls between messages or between parts of one message.
 */
export function batchForSummarizer(
  messages: MemoryMessage[],
  batchTokens: number,
): Array<Array<MemoryMessage & { part?: { index: number; of: number } }>> {
  const maxChars = Math.max(400, batchTokens * 4);
  const batches: Array<Array<MemoryMessage & { part?: { index: number; of: number } }>> = [];
  let current: Array<MemoryMessage & { part?: { index: number; of: number } }> = [];
  let used = 0;
  const flush = () => {
    if (current.length) batches.push(current);
    current = [];
    used = 0;
  };
  for (const message of messages) {
    const size = estimateTokens(message.content);
    if (size <= batchTokens) {
      if (used + size > batchTokens) flush();
      current.push(message);
      used += size;
      continue;
    }
    flush();
    const of = Math.ceil(message.content.length / maxChars);
    for (let index = 0; index < of; index++) {
      batches.push([
        { ...message, content: message.content.slice(index * maxChars, (index + 1) * maxChars), part: { index: index + 1, of } },
      ]);
    }
  }
  flush();
  return batches;
}
