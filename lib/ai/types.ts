export type ModelProvider = "openrouter" | "local" | "offline";

/** One model as the API (`available-models`) and the model picker show it. */
export interface ModelInfo {
  id: string;
  name: string;
  provider: ModelProvider;
  /** The model's context length in tokens (OpenRouter's catalog, the local server's, or a built-in value). */
  context_window: number;
  /** USD per million tokens, from the catalog; null when unknown (a local or offline model, or no catalog yet). */
  pricing: { prompt: number; completion: number } | null;
  /** No charge per token: a price of 0 both ways (OpenRouter's `:free` variants), or a local/offline model. */
  free: boolean;
  /** Who makes the model: the id's prefix on OpenRouter ("anthropic" in "anthropic/claude-sonnet-4"), else "local" or "offline". The picker groups by it. */
  vendor: string;
  available: boolean;
  /** Calls to it go out with the caller's own OpenRouter key and are billed to them (lib/user-keys). */
  your_key: boolean;
  /** Why it cannot be used right now (only when `available` is false). */
  unavailable_reason?: string;
}

export const OFFLINE_MODEL_ID = "offline";
export const OFFLINE_MODEL_NAME = "Offline (no API key)";
/** Ids of models discovered on the OpenAI-compatible server carry this prefix, so they never collide with OpenRouter's. */
export const LOCAL_MODEL_PREFIX = "local:";
