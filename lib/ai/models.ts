import "server-only";
import type { LanguageModel } from "ai";
import { ApiError } from "@/lib/api/errors";
import { getConfig } from "@/lib/config/env";
import { getRuntimeSettings } from "@/lib/settings/runtime";
import { localLanguageModel, localModels } from "./local";
import { createOfflineModel } from "./offline-model";
import { userOpenRouterKey } from "@/lib/user-keys/service";
import {
  openRouterLanguageModel,
  openRouterModels,
  openRouterModelsForUserKey,
  uncataloguedUserKeyModel,
  userKeyCatalogKnown,
} from "./openrouter";
import { LOCAL_MODEL_PREFIX, OFFLINE_MODEL_ID, OFFLINE_MODEL_NAME, type ModelInfo } from "./types";

export type { ModelInfo } from "./types";
export { OFFLINE_MODEL_ID, OFFLINE_MODEL_NAME } from "./types";

/**
 * The model registry: the only models the server will call. Clients choose among these ids and nothing else
 * (the original let any id through, paid models included, on the server's key).
 *
 * Per user: a user who saved their own OpenRouter key (lib/user-keys) gets every OpenRouter model of the catalog,
 * all called with their key (`your_key`), whoever else is served by the team's. Functions taking `userId` answer
 * for that user; without it, for the team (no user's key). A model a user's call will use is bound to their key
 * here (`bound`), held beside the object rather than in it, so no answer, log line or copy can carry the key.
 */

const OFFLINE_CONTEXT_WINDOW = 32_768;

function offlineInfo(): ModelInfo {
  return {
    id: OFFLINE_MODEL_ID,
    name: OFFLINE_MODEL_NAME,
    provider: "offline",
    context_window: OFFLINE_CONTEXT_WINDOW,
    pricing: null,
    free: true,
    vendor: "offline",
    available: true,
    your_key: false,
  };
}

/** Every model Parley knows, usable or not, in the order the picker shows them (for `userId`, with their key's). */
export async function listAvailableModels(userId?: string): Promise<ModelInfo[]> {
  const userKey = userId ? await userOpenRouterKey(userId) : undefined;
  return modelsFor(userKey);
}

async function modelsFor(userKey: string | undefined): Promise<ModelInfo[]> {
  const config = getConfig();
  const [openRouter, local] = await Promise.all([
    userKey ? openRouterModelsForUserKey(config) : openRouterModels(config),
    localModels(config),
  ]);
  return [...openRouter, ...local, offlineInfo()];
}

/** The user's key each model object bound for a call carries (see `getLanguageModel`). */
const boundKeys = new WeakMap<object, string>();

/** A copy of `info` whose calls go out with `userKey`. */
function bound(info: ModelInfo, userKey: string): ModelInfo {
  const copy = { ...info };
  boundKeys.set(copy, userKey);
  return copy;
}

/**
 * The model `id` as `userId` may use it: with their key, any model of OpenRouter's catalog (or, before a catalog
 * has been read, any well-formed OpenRouter id), bound to their key; else the team's registry.
 */
export async function getModelInfo(id: string, userId?: string): Promise<ModelInfo | undefined> {
  const userKey = userId ? await userOpenRouterKey(userId) : undefined;
  const models = await modelsFor(userKey);
  const info = models.find((m) => m.id === id);
  if (!userKey) return info;
  const found = info ?? ((await userKeyCatalogKnown(getConfig())) ? undefined : uncataloguedUserKeyModel(id));
  return found?.your_key ? bound(found, userKey) : found;
}

export async function isKnownModel(id: string, userId?: string): Promise<boolean> {
  return (await getModelInfo(id, userId)) !== undefined;
}

/**
 * The default model an admin chose at run time (/admin) when it is usable now (for `userId`); else the first usable
 * model, preferring real ones: the offline model only when nothing else is configured.
 */
export async function getDefaultModelId(userId?: string): Promise<string> {
  const [models, { defaultModel }] = await Promise.all([listAvailableModels(userId), getRuntimeSettings()]);
  const chosen = defaultModel ? models.find((m) => m.id === defaultModel && m.available) : undefined;
  return chosen?.id ?? models.find((m) => m.available && m.provider !== "offline")?.id ?? OFFLINE_MODEL_ID;
}

/**
 * A model the operator configured for background work (MEMORY_SUMMARY_MODEL, TITLE_MODEL) if it is known and
 * usable now, else `fallback`: a misconfigured id degrades to the fallback instead of failing every job.
 */
export async function configuredModelOr(
  configured: string | undefined,
  fallback: ModelInfo,
  userId?: string,
): Promise<ModelInfo> {
  const info = configured ? await getModelInfo(configured, userId) : undefined;
  return info?.available ? info : fallback;
}

/** Why an id is refused, and how to get it allowed: the one wording for chats and projects' default models. */
export function unknownModelMessage(id: string): string {
  return `Unknown model "${id.slice(0, 100)}": choose one from /api/v1/project/available-models (the server's operator allows more with OPENROUTER_MODELS)`;
}

/** For request bodies: 422 `validation:model` unless the id is in the registry (the user's, with `userId`). */
export async function requireKnownModel(id: string, userId?: string): Promise<ModelInfo> {
  const info = await getModelInfo(id, userId);
  if (!info) {
    throw new ApiError("validation", "model", unknownModelMessage(id), {
      errors: [{ path: "chat_model", message: "not an available model" }],
    });
  }
  return info;
}

/** For sending: the model must be known and usable now (e.g. OpenRouter needs its key), for `userId`. */
export async function requireUsableModel(id: string, userId?: string): Promise<ModelInfo> {
  const info = await requireKnownModel(id, userId);
  if (!info.available)
    throw new ApiError(
      "validation",
      "model",
      `${info.name} is not available: ${info.unavailable_reason ?? "it is not configured"}`,
    );
  return info;
}

/** The model to call; one bound to a user's key (`getModelInfo` with a user) calls with it, and nothing else does. */
export function getLanguageModel(info: Pick<ModelInfo, "id" | "provider" | "your_key">): LanguageModel {
  const config = getConfig();
  switch (info.provider) {
    case "offline":
      return createOfflineModel();
    case "local":
      return localLanguageModel(config, info.id.startsWith(LOCAL_MODEL_PREFIX) ? info.id : `${LOCAL_MODEL_PREFIX}${info.id}`);
    case "openrouter": {
      if (!info.your_key) return openRouterLanguageModel(config, info.id);
      const userKey = boundKeys.get(info);
      // Never falls back to the team's key for a model only the user's key may use (or that they pay for).
      if (!userKey) throw new Error(`model ${info.id} is billed to a user's key but was not bound to one`);
      return openRouterLanguageModel(config, info.id, userKey);
    }
  }
}
