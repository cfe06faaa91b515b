import type { Route } from "next";
import type { ChatSessionRow } from "@/lib/db/schema";
import type { ModelInfo, ModelProvider } from "@/lib/ai/types";

/**
 * Plain, serialisable shapes the chat screen's server parts (page, actions) hand to its client parts. Client-safe:
 * type-only imports, no "server-only".
 */

export const SESSIONS_PAGE_SIZE = 30;
/** Pinned chats are listed whole above the others, up to this many (pins are a handful, not a list to page). */
export const PINNED_SESSIONS_LIMIT = 100;
/** Newest page first; older pages load while scrolling up. */
export const MESSAGES_PAGE_SIZE = 50;
export const OFFLINE_MODEL_ID = "offline";

export interface SidebarSession {
  id: string;
  projectId: string;
  title: string;
  lastActivityAt: string;
  pinned: boolean;
}

export function toSidebarSession(
  row: Pick<ChatSessionRow, "id" | "projectId" | "title" | "lastActivityAt" | "pinnedAt">,
): SidebarSession {
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    lastActivityAt: row.lastActivityAt.toISOString(),
    pinned: row.pinnedAt !== null,
  };
}

export interface ModelOption {
  id: string;
  name: string;
  provider: ModelProvider;
  /** Who makes it ("anthropic"), "local" or "offline": the picker's groups. */
  vendor: string;
  contextWindow?: number;
  /** USD per million tokens; null when unknown. */
  pricing: { prompt: number; completion: number } | null;
  free: boolean;
  available: boolean;
  unavailableReason?: string;
  /** Called with (and billed to) the user's own OpenRouter key: the picker says "your key". */
  yourKey: boolean;
}

export function toModelOption(m: ModelInfo): ModelOption {
  return {
    id: m.id,
    name: m.name,
    provider: m.provider,
    vendor: m.vendor,
    contextWindow: m.context_window,
    pricing: m.pricing,
    free: m.free,
    available: m.available,
    unavailableReason: m.unavailable_reason,
    yourKey: m.your_key,
  };
}

export function chatHref(projectId: string, sessionId: string): Route {
  return `/projects/${projectId}/chats/${sessionId}` as Route;
}

/** Where "New chat" goes: an empty composer; the chat is stored with its first message (#14). */
export function newChatHref(projectId: string): Route {
  return `/projects/${projectId}/chats/new` as Route;
}

export const providerLabels: Record<ModelOption["provider"], string> = {
  openrouter: "OpenRouter",
  local: "Local (OpenAI-compatible)",
  offline: "Offline",
};

/** "meta-llama" → "Meta Llama": OpenRouter's vendor prefixes as group names. */
export function vendorLabel(vendor: string): string {
  return vendor
    .split(/[-_]/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(" ");
}

/**
 * OpenRouter names its models "Vendor: Model" ("OpenAI: GPT-4o-mini", "xAI: Grok 4"): that spelling when a model
 * of the group has it, else the id's prefix made readable.
 */
function groupLabel(vendor: string, models: ModelOption[]): string {
  for (const m of models) {
    const prefix = /^([^:]{1,40}): /.exec(m.name)?.[1];
    if (prefix) return prefix;
  }
  return vendorLabel(vendor);
}

export interface ModelGroup {
  key: string;
  label: string;
  models: ModelOption[];
}

/**
 * Groups models for the picker's <optgroup>s: OpenRouter's by vendor (alphabetically, models in the order given),
 * then the local server's, then the offline model. Empty groups are left out.
 */
export function groupModels(models: ModelOption[]): ModelGroup[] {
  const vendors = new Map<string, ModelOption[]>();
  for (const m of models.filter((m) => m.provider === "openrouter")) {
    vendors.set(m.vendor, [...(vendors.get(m.vendor) ?? []), m]);
  }
  const remote = [...vendors.entries()]
    .map(([vendor, list]) => ({ key: `openrouter:${vendor}`, label: groupLabel(vendor, list), models: list }))
    .sort((a, b) => a.label.localeCompare(b.label, "en"));
  const fixed = (["local", "offline"] as const).map((provider) => ({
    key: provider,
    label: providerLabels[provider],
    models: models.filter((m) => m.provider === provider),
  }));
  return [...remote, ...fixed].filter((g) => g.models.length > 0);
}

/** The models whose name, id or vendor contain every word of `query` (any case); all of them for an empty query. */
export function filterModels(models: ModelOption[], query: string): ModelOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return models;
  return models.filter((m) => {
    const haystack = `${m.name} ${m.id} ${vendorLabel(m.vendor)}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** "131K" / "1M": a context length the way model lists write it. */
export function formatContext(tokens: number): string {
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(1))}M`;
  if (tokens >= 1_000) return `${Math.round(tokens / 1_000)}K`;
  return String(tokens);
}

const usd = (perMillion: number) => `$${Number(perMillion.toPrecision(4))}`;

/** "free", "$3 / $15 per M tokens" (input / output), or undefined when the price is unknown. */
export function formatPrice(m: Pick<ModelOption, "free" | "pricing">): string | undefined {
  if (m.free) return "free";
  if (!m.pricing) return undefined;
  return `${usd(m.pricing.prompt)} / ${usd(m.pricing.completion)} per M tokens`;
}

/** What the picker shows after a model's name: context size, price, and "your key" when the user's key pays. */
export function modelDetails(
  m: Pick<ModelOption, "free" | "pricing" | "contextWindow"> & Partial<Pick<ModelOption, "yourKey">>,
): string {
  return [
    m.contextWindow ? `${formatContext(m.contextWindow)} context` : undefined,
    formatPrice(m),
    m.yourKey ? "your key" : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
}
