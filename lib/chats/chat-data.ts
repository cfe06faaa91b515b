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
  contextWindow?: number;
  available: boolean;
  unavailableReason?: string;
}

export function toModelOption(m: ModelInfo): ModelOption {
  return {
    id: m.id,
    name: m.name,
    provider: m.provider,
    contextWindow: m.context_window,
    available: m.available,
    unavailableReason: m.unavailable_reason,
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

/** Groups models by provider in a fixed order, for the picker's <optgroup>s. */
export function groupModels(
  models: ModelOption[],
): Array<{ provider: ModelOption["provider"]; label: string; models: ModelOption[] }> {
  const order: ModelOption["provider"][] = ["openrouter", "local", "offline"];
  return order
    .map((provider) => ({ provider, label: providerLabels[provider], models: models.filter((m) => m.provider === provider) }))
    .filter((g) => g.models.length > 0);
}
