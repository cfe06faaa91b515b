import "server-only";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";
import type { LanguageModel } from "ai";
import type { Config } from "@/lib/config/env";
import type { ModelInfo } from "./types";

/** Display names and context windows of the models Parley offers by default (OpenRouter's free tier). */
const CATALOG: Record<string, { name: string; contextWindow: number }> = {
  "meta-llama/llama-3.3-70b-instruct:free": { name: "Llama 3.3 70B Instruct", contextWindow: 131_072 },
  "deepseek/deepseek-r1-0528:free": { name: "DeepSeek R1 0528", contextWindow: 163_840 },
  "qwen/qwen3-coder:free": { name: "Qwen3 Coder", contextWindow: 262_144 },
};

export const DEFAULT_OPENROUTER_MODELS = Object.keys(CATALOG);

/** A conservative window for ids set through OPENROUTER_MODELS that the catalog does not know. */
const UNKNOWN_CONTEXT_WINDOW = 32_768;

export function openRouterModels(config: Config): ModelInfo[] {
  const ids = config.openRouter.models?.length ? config.openRouter.models : DEFAULT_OPENROUTER_MODELS;
  const available = Boolean(config.openRouter.apiKey);
  return ids.map((id) => ({
    id,
    name: CATALOG[id]?.name ?? id,
    provider: "openrouter",
    context_window: CATALOG[id]?.contextWindow ?? UNKNOWN_CONTEXT_WINDOW,
    available,
    ...(available ? {} : { unavailable_reason: "Set OPENROUTER_API_KEY to use OpenRouter models" }),
  }));
}

export function openRouterLanguageModel(config: Config, id: string): LanguageModel {
  const provider = createOpenRouter({
    apiKey: config.openRouter.apiKey,
    baseURL: config.openRouter.baseUrl,
    // strict: usage arrives in the final chunk (the context gauge and token accounting need it).
    compatibility: "strict",
    appName: "Parley",
    appUrl: config.appUrl,
  });
  return provider.chat(id);
}
