/**
 * How tokens and costs read on screen (the reply line, the chat and project totals, the Usage page).
 * Client-safe: no server imports. Costs stay decimal strings until here; only the display rounds them.
 */

// Made on first use, not when the module loads: the page's first Intl formatter loads the locale's data (some 15 ms
// of a busy 2-core machine, 60 ms at Lighthouse's 4x), which at load time lands in the chat page's one long
// module-instantiation step during hydration (#16).
let tokens: Intl.NumberFormat | undefined;

export function formatTokens(n: number): string {
  tokens ??= new Intl.NumberFormat("en-US");
  return tokens.format(n);
}

/** Zero or no reported cost reads "free"; otherwise two significant digits below a dollar ("$0.0012"), cents above. */
export function formatCost(cost: string | null | undefined): string {
  const value = cost == null ? 0 : Number(cost);
  if (!Number.isFinite(value) || value <= 0) return "free";
  if (value >= 1) return `$${value.toFixed(2)}`;
  if (value >= 0.01) return `$${value.toFixed(3).replace(/0$/, "")}`;
  // Rounded first, so 0.0099999 reads $0.01 (not $0.0100); trailing zeros go.
  const rounded = Number(value.toPrecision(2));
  return `$${rounded.toFixed(Math.max(2, 1 - Math.floor(Math.log10(rounded)))).replace(/0+$/, "")}`;
}

/** The exact figure, for a tooltip: "$0.000123456 USD", or "free". */
export function exactCost(cost: string | null | undefined): string {
  return cost == null || Number(cost) === 0 ? "free" : `$${cost} USD`;
}

/** "1,234 → 567 tokens · $0.0012" (or "· free"); tokens the provider did not report are left out. */
export function usageLine(usage: { input_tokens: number | null; output_tokens: number | null; cost: string | null }): string {
  const { input_tokens: input, output_tokens: output } = usage;
  const parts: string[] = [];
  if (input != null || output != null) parts.push(`${formatTokens(input ?? 0)} → ${formatTokens(output ?? 0)} tokens`);
  parts.push(formatCost(usage.cost));
  return parts.join(" · ");
}
