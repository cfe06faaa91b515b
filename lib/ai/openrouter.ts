import "server-only";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";
import type { LanguageModel } from "ai";
import type { Config } from "@/lib/config/env";
import { currentCatalog, isModelPattern, selectAllowed, type CatalogEntry } from "./catalog";
import type { ModelInfo } from "./types";

/**
 * The models Parley offers by default (OpenRouter's free tier), with what the catalog says of them: used when no
 * catalog has been read yet (OpenRouter unreachable at start, or no key).
 */
const FREE = { prompt: "0", completion: "0" };
const FALLBACK: CatalogEntry[] = [
  {
    id: "meta-llama/llama-3.3-70b-instruct:free",
    name: "Llama 3.3 70B Instruct",
    contextLength: 131_072,
    pricing: FREE,
    inputModalities: ["text"],
  },
  {
    id: "deepseek/deepseek-r1-0528:free",
    name: "DeepSeek R1 0528",
    contextLength: 163_840,
    pricing: FREE,
    inputModalities: ["text"],
  },
  { id: "qwen/qwen3-coder:free", name: "Qwen3 Coder", contextLength: 262_144, pricing: FREE, inputModalities: ["text"] },
];

export const DEFAULT_OPENROUTER_MODELS = FALLBACK.map((m) => m.id);

/** A conservative window for ids set through OPENROUTER_MODELS that no catalog describes. */
const UNKNOWN_CONTEXT_WINDOW = 32_768;

/**
 * The OpenRouter models the allow-list (OPENROUTER_MODELS, else the default free ones) permits. With a catalog:
 * the catalog's models it matches, exact ids and patterns alike. Without one yet (no key, or none read so far): the
 * built-in models it matches and its other exact ids, as before there was a catalog.
 */
export async function openRouterModels(config: Config): Promise<ModelInfo[]> {
  const allowList = config.openRouter.models?.length ? config.openRouter.models : DEFAULT_OPENROUTER_MODELS;
  const available = Boolean(config.openRouter.apiKey);
  const catalog = await currentCatalog(config);
  // Every send lists the models to check its own: the selection is kept until the catalog or settings change
  // (~0.3 ms for a 400-model catalog and three patterns, to nothing).
  const key = `${available}|${allowList.join(",")}`;
  if (selection && selection.catalog === catalog && selection.key === key) return selection.models;
  const entries = selectAllowed(allowList, catalog ?? fallbackCatalog(allowList));
  const models = entries.map((entry) => toModelInfo(entry, available));
  selection = { catalog, key, models };
  return models;
}

let selection: { catalog: CatalogEntry[] | undefined; key: string; models: ModelInfo[] } | undefined;

/** The built-in list, plus the allow-list's exact ids it lacks (offered as before the catalog, with a safe window). */
function fallbackCatalog(allowList: string[]): CatalogEntry[] {
  const unknown = allowList
    .filter((entry) => !isModelPattern(entry) && !FALLBACK.some((m) => m.id === entry))
    .map((id): CatalogEntry => ({
      id,
      name: id,
      contextLength: UNKNOWN_CONTEXT_WINDOW,
      pricing: null,
      inputModalities: ["text"],
    }));
  return [...FALLBACK, ...unknown];
}

function toModelInfo(entry: CatalogEntry, available: boolean): ModelInfo {
  const pricing = entry.pricing
    ? { prompt: perMillion(entry.pricing.prompt), completion: perMillion(entry.pricing.completion) }
    : null;
  return {
    id: entry.id,
    name: entry.name,
    provider: "openrouter",
    context_window: entry.contextLength,
    pricing,
    free: pricing ? pricing.prompt === 0 && pricing.completion === 0 : entry.id.endsWith(":free"),
    vendor: entry.id.includes("/") ? entry.id.slice(0, entry.id.indexOf("/")) : "openrouter",
    available,
    ...(available ? {} : { unavailable_reason: "Set OPENROUTER_API_KEY to use OpenRouter models" }),
  };
}

/**
 * USD per token (a decimal string such as "0.00000015") as USD per million tokens (0.15): the decimal point is
 * moved in the string, so the number is the closest double to the exact price, without 0.15000000000000002.
 */
export function perMillion(perToken: string): number {
  const [whole = "0", fraction = ""] = perToken.split(".");
  const digits = fraction.padEnd(6, "0");
  return Number(`${whole}${digits.slice(0, 6)}.${digits.slice(6) || "0"}`);
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
  // Usage accounting: OpenRouter then reports each call's cost in USD (providerMetadata.openrouter.usage.cost),
  // which Parley stores with the reply, title or summary it paid for (lib/db/queries/usage.ts).
  return provider.chat(id, { usage: { include: true } });
}
