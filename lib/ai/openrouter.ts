import "server-only";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";
import { wrapLanguageModel, type LanguageModel } from "ai";
import type { Config } from "@/lib/config/env";
import { getRuntimeSettings } from "@/lib/settings/runtime";
import { currentCatalog, isModelPattern, selectAllowed, type CatalogEntry } from "./catalog";
import type { ModelInfo } from "./types";
import { asUserKeyError } from "./user-key-errors";

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
 * The OpenRouter models the allow-list (an admin's run-time list, else OPENROUTER_MODELS, else the default free
 * ones) permits. With a catalog:
 * the catalog's models it matches, exact ids and patterns alike. Without one yet (no key, or none read so far): the
 * built-in models it matches and its other exact ids, as before there was a catalog.
 */
export async function openRouterModels(config: Config): Promise<ModelInfo[]> {
  const allowList = await allowListOf(config);
  const available = Boolean(config.openRouter.apiKey);
  const catalog = await currentCatalog(config);
  // Every send lists the models to check its own: the selection is kept until the catalog or settings change
  // (~0.3 ms for a 400-model catalog and three patterns, to nothing).
  const key = `${available}|${allowList.join(",")}`;
  if (selection && selection.catalog === catalog && selection.key === key) return selection.models;
  const entries = selectAllowed(allowList, catalog ?? fallbackCatalog(allowList));
  const models = entries.map((entry) => toModelInfo(entry, available, false));
  selection = { catalog, key, models };
  return models;
}

/** The allow-list in force: an admin's run-time list (/admin; cached, no round trip per call), else the environment's. */
export async function allowListOf(config: Config): Promise<string[]> {
  return (
    (await getRuntimeSettings()).modelAllowList ??
    (config.openRouter.models?.length ? config.openRouter.models : DEFAULT_OPENROUTER_MODELS)
  );
}

let selection: { catalog: CatalogEntry[] | undefined; key: string; models: ModelInfo[] } | undefined;

/**
 * The OpenRouter models of a user who saved their own key: the allow-list's first (so the team's default stays
 * first), then every other model of OpenRouter's catalog (read even when the team has no key), all usable and
 * billed to the user's key. Shared by every such user (the key itself is bound per call, lib/ai/models.ts).
 */
export async function openRouterModelsForUserKey(config: Config): Promise<ModelInfo[]> {
  const [team, catalog] = await Promise.all([openRouterModels(config), currentCatalog(config, { withoutKey: true })]);
  if (userKeySelection && userKeySelection.team === team && userKeySelection.catalog === catalog) return userKeySelection.models;
  const teamIds = new Set(team.map((m) => m.id));
  const models = [
    ...team.map(({ unavailable_reason: _reason, ...m }): ModelInfo => ({ ...m, available: true, your_key: true })),
    ...(catalog ?? []).filter((entry) => !teamIds.has(entry.id)).map((entry) => toModelInfo(entry, true, true)),
  ];
  userKeySelection = { team, catalog, models };
  return models;
}

let userKeySelection: { team: ModelInfo[]; catalog: CatalogEntry[] | undefined; models: ModelInfo[] } | undefined;

/**
 * A model id OpenRouter could serve ("vendor/model", an optional ":variant"), for a user's key when no catalog has
 * been read yet to check it against: anything else is refused as before (422), never sent upstream.
 */
const OPENROUTER_ID = /^[a-z0-9][a-z0-9._-]{0,99}\/[a-z0-9][a-z0-9._-]{0,149}(:[a-z0-9._-]{1,40})?$/i;

/** Whether OpenRouter's catalog has been read (then a user's key may use only its models). */
export async function userKeyCatalogKnown(config: Config): Promise<boolean> {
  return (await currentCatalog(config, { withoutKey: true })) !== undefined;
}

/** An id a user's key may use although no catalog describes it (none read yet), with a conservative window. */
export function uncataloguedUserKeyModel(id: string): ModelInfo | undefined {
  if (!OPENROUTER_ID.test(id)) return undefined;
  return toModelInfo(
    { id, name: id, contextLength: UNKNOWN_CONTEXT_WINDOW, pricing: null, inputModalities: ["text"] },
    true,
    true,
  );
}

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

function toModelInfo(entry: CatalogEntry, available: boolean, yourKey: boolean): ModelInfo {
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
    your_key: yourKey,
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

/** A model on the team's key (OPENROUTER_API_KEY), or on `userKey`, a user's own key, for that user's calls only. */
export function openRouterLanguageModel(config: Config, id: string, userKey?: string): LanguageModel {
  const provider = createOpenRouter({
    apiKey: userKey ?? config.openRouter.apiKey,
    baseURL: config.openRouter.baseUrl,
    // strict: usage arrives in the final chunk (the context gauge and token accounting need it).
    compatibility: "strict",
    appName: "Parley",
    appUrl: config.appUrl,
  });
  // Usage accounting: OpenRouter then reports each call's cost in USD (providerMetadata.openrouter.usage.cost),
  // which Parley stores with the reply, title or summary it paid for (lib/db/queries/usage.ts).
  const model = provider.chat(id, { usage: { include: true } });
  if (!userKey) return model;
  // OpenRouter refusing the user's key (401/403) or its credits (402) answers before any stream: said so.
  return wrapLanguageModel({
    model,
    middleware: {
      wrapGenerate: async ({ doGenerate }) => {
        try {
          return await doGenerate();
        } catch (error) {
          throw asUserKeyError(error);
        }
      },
      wrapStream: async ({ doStream }) => {
        try {
          return await doStream();
        } catch (error) {
          throw asUserKeyError(error);
        }
      },
    },
  });
}
