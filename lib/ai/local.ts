import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { z } from "zod";
import type { Config } from "@/lib/config/env";
import { LOCAL_MODEL_PREFIX, type ModelInfo } from "./types";

/**
 * Models of a local OpenAI-compatible server (Ollama, LM Studio, vLLM…), discovered from its `/models`.
 * Cached per process: the list changes rarely, and asking on every request would put the local server's
 * latency in front of every chat. A server that does not answer yields no models, re-checked sooner.
 */
const TTL_MS = 60_000;
const FAILURE_TTL_MS = 10_000;
const DISCOVERY_TIMEOUT_MS = 2_000;
const DEFAULT_CONTEXT_WINDOW = 8_192;

const modelsResponse = z.object({
  data: z.array(
    z.looseObject({
      id: z.string().min(1).max(300),
      context_length: z.number().int().positive().optional(),
      context_window: z.number().int().positive().optional(),
      max_model_len: z.number().int().positive().optional(),
    }),
  ),
});

interface CacheEntry {
  key: string;
  expiresAt: number;
  models: Promise<ModelInfo[]>;
}
let cache: CacheEntry | undefined;

export function localModels(config: Config): Promise<ModelInfo[]> {
  const server = config.openAICompatible;
  if (!server) return Promise.resolve([]);
  const key = `${server.baseUrl}|${server.apiKey ?? ""}`;
  if (cache && cache.key === key && cache.expiresAt > Date.now()) return cache.models;
  const entry: CacheEntry = { key, expiresAt: Date.now() + TTL_MS, models: discover(server) };
  cache = entry;
  void entry.models.then((models) => {
    if (models.length === 0) entry.expiresAt = Date.now() + FAILURE_TTL_MS;
  });
  return entry.models;
}

async function discover(server: NonNullable<Config["openAICompatible"]>): Promise<ModelInfo[]> {
  try {
    const response = await fetch(`${server.baseUrl}/models`, {
      headers: server.apiKey ? { authorization: `Bearer ${server.apiKey}` } : {},
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (!response.ok) return [];
    const parsed = modelsResponse.safeParse(await response.json());
    if (!parsed.success) return [];
    return parsed.data.data.map((m) => ({
      id: `${LOCAL_MODEL_PREFIX}${m.id}`,
      name: `${m.id} (local)`,
      provider: "local",
      context_window: m.context_length ?? m.context_window ?? m.max_model_len ?? DEFAULT_CONTEXT_WINDOW,
      pricing: null,
      free: true,
      vendor: "local",
      available: true,
      your_key: false,
    }));
  } catch {
    // Unreachable or not an OpenAI-compatible server: no local models, not an error for the user.
    return [];
  }
}

export function localLanguageModel(config: Config, id: string): LanguageModel {
  const server = config.openAICompatible;
  if (!server) throw new Error("No OpenAI-compatible server is configured");
  const provider = createOpenAICompatible({ name: "local", baseURL: server.baseUrl, apiKey: server.apiKey, includeUsage: true });
  return provider.chatModel(id.slice(LOCAL_MODEL_PREFIX.length));
}

export function resetLocalModelCacheForTests(): void {
  cache = undefined;
}
