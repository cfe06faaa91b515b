import "server-only";

/**
 * PLACEHOLDER on the `chatui` branch only, so the chat screen compiles before the chat backend lands: the
 * backend branch's registry (OpenRouter, OpenAI-compatible and offline models) replaces this file at merge.
 */

export type ModelProvider = "openrouter" | "openai-compatible" | "offline";

export interface ModelInfo {
  id: string;
  name: string;
  provider: ModelProvider;
  context_window: number;
  available: boolean;
  unavailable_reason?: string;
}

const OFFLINE_MODEL_ID = "offline";

const offline: ModelInfo = { id: OFFLINE_MODEL_ID, name: "Offline (no API key)", provider: "offline", context_window: 32_000, available: true };

export async function listAvailableModels(): Promise<ModelInfo[]> {
  return [offline];
}

export async function isKnownModel(id: string): Promise<boolean> {
  return id === OFFLINE_MODEL_ID;
}
