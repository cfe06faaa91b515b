import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDefaultModelId, isKnownModel, listAvailableModels, requireKnownModel, requireUsableModel } from "@/lib/ai/models";
import { catalogRefreshForTests, resetModelCatalogForTests } from "@/lib/ai/catalog";
import { resetLocalModelCacheForTests } from "@/lib/ai/local";
import { resetConfigForTests } from "@/lib/config/env";
import { startOpenRouterStandin, type OpenRouterStandin } from "@/tests/support/openrouter-standin";

const KEYS = ["OPENROUTER_API_KEY", "OPENROUTER_MODELS", "OPENAI_COMPATIBLE_BASE_URL", "OPENROUTER_BASE_URL"] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
/** With a key, the catalog is read from the stand-in (never from openrouter.ai) unless a test says otherwise. */
function setEnv(values: Partial<Record<(typeof KEYS)[number], string>>) {
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, values.OPENROUTER_API_KEY && local ? { OPENROUTER_BASE_URL: local.baseUrl } : {}, values);
  resetConfigForTests();
  resetLocalModelCacheForTests();
  resetModelCatalogForTests();
}

let local: OpenRouterStandin;
beforeAll(async () => {
  local = await startOpenRouterStandin();
});
afterAll(() => local.close());
afterEach(async () => {
  await catalogRefreshForTests();
  setEnv(saved as Record<string, string>);
});

describe("model registry", () => {
  it("without keys: OpenRouter models listed but unavailable, offline is the default", async () => {
    setEnv({});
    const models = await listAvailableModels();
    expect(models.map((m) => m.id)).toEqual([
      "meta-llama/llama-3.3-70b-instruct:free",
      "deepseek/deepseek-r1-0528:free",
      "qwen/qwen3-coder:free",
      "offline",
    ]);
    expect(models.filter((m) => m.available).map((m) => m.id)).toEqual(["offline"]);
    expect(models.at(-1)).toEqual({
      id: "offline",
      name: "Offline (no API key)",
      provider: "offline",
      context_window: 32768,
      pricing: null,
      free: true,
      vendor: "offline",
      available: true,
      your_key: false,
    });
    expect(models[0].context_window).toBeGreaterThan(100_000);
    expect(await getDefaultModelId()).toBe("offline");
    await expect(requireUsableModel("qwen/qwen3-coder:free")).rejects.toMatchObject({ status: 422, code: "validation:model" });
  });

  it("with a key: the first OpenRouter model is the default; OPENROUTER_MODELS overrides the list", async () => {
    setEnv({ OPENROUTER_API_KEY: "k" });
    expect(await getDefaultModelId()).toBe("meta-llama/llama-3.3-70b-instruct:free");
    setEnv({ OPENROUTER_API_KEY: "k", OPENROUTER_MODELS: "openai/gpt-4o-mini, qwen/qwen3-coder:free" });
    const models = await listAvailableModels();
    expect(models.map((m) => [m.id, m.available])).toEqual([
      ["openai/gpt-4o-mini", true],
      ["qwen/qwen3-coder:free", true],
      ["offline", true],
    ]);
    expect(await isKnownModel("meta-llama/llama-3.3-70b-instruct:free")).toBe(false);
  });

  it("refuses ids outside the registry with 422 validation:model", async () => {
    setEnv({ OPENROUTER_API_KEY: "k" });
    expect(await isKnownModel("anthropic/claude-opus-4")).toBe(false);
    await expect(requireKnownModel("anthropic/claude-opus-4")).rejects.toMatchObject({ status: 422, code: "validation:model" });
  });

  it("discovers models of a local OpenAI-compatible server, and none when it is unreachable", async () => {
    setEnv({ OPENAI_COMPATIBLE_BASE_URL: local.baseUrl });
    const models = await listAvailableModels();
    expect(models.find((m) => m.provider === "local")).toEqual({
      id: "local:standin-local",
      name: "standin-local (local)",
      provider: "local",
      context_window: 4096,
      pricing: null,
      free: true,
      vendor: "local",
      available: true,
      your_key: false,
    });
    expect(await getDefaultModelId()).toBe("local:standin-local");
    setEnv({ OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:9/v1" });
    expect((await listAvailableModels()).some((m) => m.provider === "local")).toBe(false);
  });
});
