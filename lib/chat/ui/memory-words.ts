/**
 * The memory badge and context gauge in words (#16): "N 20 · K 6" and "303 / 131k" meant nothing to a new user.
 * Pure, so the wording is unit-tested; components/chat/memory.tsx renders it.
 */

export interface MemorySettingsView {
  enabled: boolean;
  threshold: number;
  keepRecent: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The badge: what memory does, in one line. */
export function memoryLabel({ enabled, threshold, keepRecent }: MemorySettingsView): string {
  if (!enabled) return "Memory: off";
  const kept = keepRecent === 1 ? "keeps the last one" : `keeps the last ${keepRecent.toLocaleString("en-US")}`;
  return `Memory: summarizes after ${plural(threshold, "message")}, ${kept}`;
}

/** The badge's explanation (hover and focus; the accessible description). */
export function memoryExplanation({ enabled, threshold, keepRecent }: MemorySettingsView): string {
  return enabled
    ? `Once ${plural(threshold, "message")} beyond the latest ${keepRecent.toLocaleString("en-US")} are not yet covered, the older turns are summarized and the summary is sent instead of them; the latest ${plural(keepRecent, "message")} are always sent word for word. Change this in the project's settings.`
    : "Memory is off for this project: the whole history is sent (the oldest turns are left out when it would not fit). Change this in the project's settings.";
}

/** 303 → "303", 1,234 → "1.2k", 131,072 → "131k". */
export function compactTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1).replace(/\.0$/, "")}k` : String(n);
}

/** The gauge's visible words: "Context: 303 of 131k tokens used". */
export function contextLabel(used: number, window: number): string {
  return `Context: ${compactTokens(used)} of ${compactTokens(window)} tokens used`;
}

/** The gauge's explanation, with the exact figures and the share of the window. */
export function contextExplanation(used: number, window: number): string {
  const share = window > 0 ? Math.min(100, Math.round((used / window) * 100)) : 0;
  return `The last turn sent ${plural(used, "token")} to the model, ${share}% of the ${window.toLocaleString("en-US")} it can read at once (its context window). Memory keeps long chats within it.`;
}
