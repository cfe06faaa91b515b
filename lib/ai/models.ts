import "server-only";
import type { LanguageModel } from "ai";
import { ApiError } from "@/lib/api/errors";
import { getConfig } from "@/lib/config/env";
import { localLanguageModel, localModels } from "./local";
import { createOfflineModel } from "./offline-model";
import { openRouterLanguageModel, openRouterModels } from "./openrouter";
import { LOCAL_MODEL_PREFIX, OFFLINE_MODEL_ID, OFFLINE_MODEL_NAME, type ModelInfo } from "./types";

export type { ModelInfo } from "./types";
export { OFFLINE_MODEL_ID, OFFLINE_MODEL_NAME } from "./types";

/**
 * The model registry: the only models the server will call. Clients choose among these ids and nothing else
 * (the original let any id through, paid models included, on the server's key).
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
  };
}

/** Every model Parley knows, usable or not, in the order the picker shows them. */
export async function listAvailableModels(): Promise<ModelInfo[]> {
  const config = getConfig();
  const [openRouter, local] = await Promise.all([openRouterModels(config), localModels(config)]);
  return [...openRouter, ...local, offlineInfo()];
}

export async function getModelInfo(id: string): Promise<ModelInfo | undefined> {
  return (await listAvailableModels()).find((m) => m.id === id);
}

export async function isKnownModel(id: string): Promise<boolean> {
  return (await getModelInfo(id)) !== undefined;
}

/** The first usable model, preferring real ones: the offline model only when nothing else is configured. */
export async function getDefaultModelId(): Promise<string> {
  const models = await listAvailableModels();
  return models.find((m) => m.available && m.provider !== "offline")?.id ?? OFFLINE_MODEL_ID;
}

/**
 * A model the operator configured for background work (MEMORY_SUMMARY_MODEL, TITLE_MODEL) if it is known and
 * usable now, else `fallback`: a misconfigured id degrades to the fallback instead of failing every job.
 */
export async function configuredModelOr(configured: string | undefined, fallback: ModelInfo): Promise<ModelInfo> {
  const info = configured ? await getModelInfo(configured) : undefined;
  return info?.available ? info : fallback;
}

/** Why an id is refused, and how to get it allowed: the one wording for chats and projects' default models. */
export function unknownModelMessage(id: string): string {
  return `Unknown model "${id.slice(0, 100)}": choose one from /api/v1/project/available-models (the server's operator allows more with OPENROUTER_MODELS)`;
}

/** For request bodies: 422 `validation:model` unless the id is in the registry. */
export async function requireKnownModel(id: string): Promise<ModelInfo> {
  const info = await getModelInfo(id);
  if (!info) {
    throw new ApiError("validation", "model", unknownModelMessage(id), {
      errors: [{ path: "chat_model", message: "not an available model" }],
    });
  }
  return info;
}

/** For sending: the model must be known and usable now (e.g. OpenRouter needs its key). */
export async function requireUsableModel(id: string): Promise<ModelInfo> {
  const info = await requireKnownModel(id);
  if (!info.available)
    throw new ApiError(
      "validation",
      "model",
      `${info.name} is not available: ${info.unavailable_reason ?? "it is not configured"}`,
    );
  return info;
}

export function getLanguageModel(info: Pick<ModelInfo, "id" | "provider">): LanguageModel {
  const config = getConfig();
  switch (info.provider) {
    case "offline":
      return createOfflineModel();
    case "local":
      return localLanguageModel(config, info.id.startsWith(LOCAL_MODEL_PREFIX) ? info.id : `${LOCAL_MODEL_PREFIX}${info.id}`);
    case "openrouter":
      return openRouterLanguageModel(config, info.id);
  }
}
