export type ModelProvider = "openrouter" | "local" | "offline";

/** One model as the API (`available-models`) and the model picker show it. */
export interface ModelInfo {
  id: string;
  name: string;
  provider: ModelProvider;
  context_window: number;
  available: boolean;
  /** Why it cannot be used right now (only when `available` is false). */
  unavailable_reason?: string;
}

export const OFFLINE_MODEL_ID = "offline";
export const OFFLINE_MODEL_NAME = "Offline (no API key)";
/** Ids of models discovered on the OpenAI-compatible server carry this prefix, so they never collide with OpenRouter's. */
export const LOCAL_MODEL_PREFIX = "local:";
