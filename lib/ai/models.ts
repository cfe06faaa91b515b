import "server-only";

/**
 * The model registry. A placeholder until the chat work lands: only the built-in offline model exists. The chat
 * work replaces the internals and keeps these names, so callers (projects, sessions, REST) need not change.
 */
export interface ModelInfo {
  id: string;
  name: string;
  provider: string;
  context_window: number;
  /** False where the provider has no key configured: listed, but not usable. */
  available: boolean;
}

const OFFLINE_MODEL: ModelInfo = { id: "offline", name: "Offline (no API key)", provider: "offline", context_window: 8192, available: true };

export async function listAvailableModels(): Promise<ModelInfo[]> {
  return [OFFLINE_MODEL];
}

export async function isKnownModel(id: string): Promise<boolean> {
  return (await listAvailableModels()).some((model) => model.id === id);
}
