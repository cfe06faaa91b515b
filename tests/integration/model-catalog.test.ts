import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { catalogRefreshForTests, matchesModelPattern, parseCatalog, resetModelCatalogForTests } from "@/lib/ai/catalog";
import { listAvailableModels, requireKnownModel, requireUsableModel, type ModelInfo } from "@/lib/ai/models";
import { startGeneration } from "@/lib/chat/engine/send-message";
import { createProjectFor } from "@/lib/projects/service";
import { resetConfigForTests } from "@/lib/config/env";
import { readStoredCatalog, storeCatalog } from "@/lib/db/queries/model-catalog";
import { createTestUser } from "@/tests/support/auth";
import {
  backgroundWorkDone,
  createProjectRow,
  createSessionRow,
  isSummarizer,
  isTitleRequest,
  isTitleRequestBody,
} from "@/tests/support/chat-fixtures";
import {
  STANDIN_CATALOG,
  STANDIN_MODEL,
  startOpenRouterStandin,
  type OpenRouterStandin,
} from "@/tests/support/openrouter-standin";

/**
 * The OpenRouter model catalog (#17 §1) against the stand-in's `GET /api/v1/models` and the real database: what is
 * offered, what survives OpenRouter failing, and what a second instance sees. Each test has its own stand-in, hence
 * its own catalog row (rows are keyed by the catalog's address).
 */

const KEYS = [
  "OPENROUTER_API_KEY",
  "OPENROUTER_MODELS",
  "OPENROUTER_BASE_URL",
  "MODEL_CATALOG_TTL_MS",
  "OPENAI_COMPATIBLE_BASE_URL",
];
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

let standin: OpenRouterStandin;
function configure(env: Record<string, string> = {}) {
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, { OPENROUTER_API_KEY: "sk-or-test-key", OPENROUTER_BASE_URL: standin.baseUrl, ...env });
  resetConfigForTests();
}

/** Lists the models, lets the background refresh it started finish, and lists again. */
async function listAfterRefresh(): Promise<ModelInfo[]> {
  await listAvailableModels();
  await catalogRefreshForTests();
  return listAvailableModels();
}

const openRouterIds = (models: ModelInfo[]) => models.filter((m) => m.provider === "openrouter").map((m) => m.id);
const DEFAULT_IDS = ["meta-llama/llama-3.3-70b-instruct:free", "deepseek/deepseek-r1-0528:free", "qwen/qwen3-coder:free"];

beforeEach(async () => {
  standin = await startOpenRouterStandin();
  standin.answer("title", isTitleRequestBody, { reply: "A title" });
  resetModelCatalogForTests();
  configure();
});
afterEach(async () => {
  vi.useRealTimers();
  await catalogRefreshForTests();
  await backgroundWorkDone();
  await standin.close();
  resetModelCatalogForTests();
});
afterAll(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetConfigForTests();
});

describe("model catalog", () => {
  it("reads OpenRouter's list and offers what exact ids and patterns allow, with context and prices", async () => {
    configure({ OPENROUTER_MODELS: "*:free, anthropic/*" });
    // The first listing does not wait for OpenRouter: the built-in models the patterns match.
    expect(openRouterIds(await listAvailableModels())).toEqual(DEFAULT_IDS);
    await catalogRefreshForTests();
    const models = await listAvailableModels();
    expect(openRouterIds(models)).toEqual([...DEFAULT_IDS, "anthropic/claude-sonnet-4"]);
    expect(models.find((m) => m.id === "anthropic/claude-sonnet-4")).toEqual({
      id: "anthropic/claude-sonnet-4",
      name: "Anthropic: Claude Sonnet 4",
      provider: "openrouter",
      context_window: 200_000,
      pricing: { prompt: 3, completion: 15 },
      free: false,
      vendor: "anthropic",
      available: true,
      your_key: false,
    });
    expect(models[0]).toMatchObject({ pricing: { prompt: 0, completion: 0 }, free: true, vendor: "meta-llama" });
    expect(standin.catalogRequests()).toBe(1);

    // Exact ids keep the allow-list's order (the first is the default model); prices per million are exact.
    configure({ OPENROUTER_MODELS: "openai/gpt-4o-mini,qwen/qwen3-coder:free,no/such-model" });
    const chosen = await listAvailableModels();
    expect(openRouterIds(chosen)).toEqual(["openai/gpt-4o-mini", "qwen/qwen3-coder:free"]);
    expect(chosen[0]).toMatchObject({ pricing: { prompt: 0.15, completion: 0.6 }, context_window: 128_000 });
  });

  it("skips a malformed entry and keeps the rest of the list", async () => {
    const [, llama, , qwen] = STANDIN_CATALOG;
    standin.setCatalog({
      models: [
        llama,
        { id: 42, context_length: 1000 },
        { id: "deepseek/deepseek-r1-0528:free", context_length: "long" },
        "not an object",
        { ...qwen, pricing: { prompt: "-1", completion: "-1" }, extra: { anything: true } },
      ],
    });
    const models = await listAfterRefresh();
    // The catalog has no valid DeepSeek entry, so it is not offered; Qwen's unreadable price is unknown, not 0.
    expect(openRouterIds(models)).toEqual(["meta-llama/llama-3.3-70b-instruct:free", "qwen/qwen3-coder:free"]);
    expect(models[1]).toMatchObject({ pricing: null, context_window: 262_144 });
    expect(parseCatalog({ data: [llama, { id: "" }, null] })).toMatchObject({ skipped: 2 });
    expect(parseCatalog("not a list")).toEqual({ entries: [], skipped: 0 });
  });

  it("OpenRouter down at start: the built-in list without an error, then a later success replaces it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    standin.setCatalog({ failStatus: 503 });
    configure({ OPENROUTER_MODELS: "*:free" });
    const fallback = await listAfterRefresh();
    expect(openRouterIds(fallback)).toEqual(DEFAULT_IDS);
    expect(fallback[0]).toMatchObject({ context_window: 131_072, available: true });
    expect(await readStoredCatalog(standin.baseUrl)).toBeUndefined();
    // No retry at every request while it is down…
    await listAfterRefresh();
    expect(standin.catalogRequests()).toBe(1);

    // …but a minute later, and that success replaces the built-in list.
    standin.setCatalog({
      failStatus: undefined,
      models: [
        { id: "meta-llama/llama-3.3-70b-instruct:free", name: "Llama (catalog)", context_length: 65_536 },
        { id: "mistralai/mistral-7b:free", name: "Mistral 7B", context_length: 32_000 },
      ],
    });
    vi.setSystemTime(Date.now() + 61_000);
    const fresh = await listAfterRefresh();
    expect(standin.catalogRequests()).toBe(2);
    expect(openRouterIds(fresh)).toEqual(["meta-llama/llama-3.3-70b-instruct:free", "mistralai/mistral-7b:free"]);
    expect(fresh[0]).toMatchObject({ name: "Llama (catalog)", context_window: 65_536 });
  });

  it("a failure after a success keeps the last good list, in memory and in the database", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    configure({ OPENROUTER_MODELS: "anthropic/*", MODEL_CATALOG_TTL_MS: "60000" });
    expect(openRouterIds(await listAfterRefresh())).toEqual(["anthropic/claude-sonnet-4"]);
    const stored = await readStoredCatalog(standin.baseUrl);
    expect(stored).toBeDefined();

    standin.setCatalog({ failStatus: 500 });
    vi.setSystemTime(Date.now() + 61_000);
    expect(openRouterIds(await listAfterRefresh())).toEqual(["anthropic/claude-sonnet-4"]);
    expect(standin.catalogRequests()).toBe(2);
    expect(await readStoredCatalog(standin.baseUrl)).toEqual(stored);
  });

  it("a second instance reads the stored catalog without asking OpenRouter, and an older list never replaces it", async () => {
    configure({ OPENROUTER_MODELS: "openai/*" });
    expect(openRouterIds(await listAfterRefresh())).toEqual(["openai/gpt-4o-mini"]);
    expect(standin.catalogRequests()).toBe(1);

    // A new process: no copy in memory, OpenRouter unreachable. Its first listing already has the stored list.
    resetModelCatalogForTests();
    standin.setCatalog({ failStatus: 503 });
    const second = await listAvailableModels();
    expect(openRouterIds(second)).toEqual(["openai/gpt-4o-mini"]);
    expect(second[0]).toMatchObject({ context_window: 128_000, pricing: { prompt: 0.15, completion: 0.6 } });
    await catalogRefreshForTests();
    expect(standin.catalogRequests()).toBe(1);

    // Two instances refreshing at once: the write of the older fetch does not replace the newer list.
    expect(await storeCatalog(standin.baseUrl, [], new Date(0))).toBe(false);
    expect(openRouterIds(await listAvailableModels())).toEqual(["openai/gpt-4o-mini"]);
  });

  it("refuses ids the allow-list does not permit with the same 422 as before, saying how to allow them", async () => {
    configure({ OPENROUTER_MODELS: "*:free" });
    await listAfterRefresh();
    // In the catalog, but not allowed; and not in the catalog at all (the original frontend's hard-coded id).
    for (const id of ["anthropic/claude-sonnet-4", "google/gemma-3-27b-it:free"]) {
      await expect(requireKnownModel(id)).rejects.toMatchObject({
        status: 422,
        code: "validation:model",
        message: `Unknown model "${id}": choose one from /api/v1/project/available-models (the server's operator allows more with OPENROUTER_MODELS)`,
      });
    }
    // A project's default model is checked against the same list.
    const { user } = await createTestUser();
    await expect(
      createProjectFor(user.id, { project_name: "P", default_model: "anthropic/claude-sonnet-4" }),
    ).rejects.toMatchObject({ status: 422, code: "validation:project", message: expect.stringContaining("OPENROUTER_MODELS") });
    await expect(createProjectFor(user.id, { project_name: "P", default_model: "qwen/qwen3-coder:free" })).resolves.toMatchObject(
      {
        default_model: "qwen/qwen3-coder:free",
      },
    );
  });

  it("the memory budget uses the catalog's context length", async () => {
    standin.setCatalog({ models: [{ id: STANDIN_MODEL, name: "Small window", context_length: 2048 }] });
    await listAfterRefresh();
    expect((await requireUsableModel(STANDIN_MODEL)).context_window).toBe(2048);

    // Turns of ~1,000 estimated tokens each; a 2,048-token window leaves 1,024 for the input: one earlier turn fits.
    const long = `${"word ".repeat(399)}word`;
    standin.setScript({ reply: long });
    const { user } = await createTestUser();
    const project = await createProjectRow(user.id, { memoryEnabled: false });
    const session = await createSessionRow(user.id, project.id);
    for (const text of [long, long, "Next?"])
      await (
        await startGeneration({ ownerId: user.id, sessionId: session.id, text })
      ).done;
    const turns = standin.requests.filter((r) => !isTitleRequest(r) && !isSummarizer(r));
    const last = turns.at(-1)!.body.messages!.filter((m) => m.role !== "system");
    // With the built-in 131,072-token window all four earlier messages would be sent.
    expect(last.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });
});

describe("allow-list patterns", () => {
  it("* matches any run of characters; everything else is literal", () => {
    expect(matchesModelPattern("*:free", "qwen/qwen3-coder:free")).toBe(true);
    expect(matchesModelPattern("*:free", "qwen/qwen3-coder")).toBe(false);
    expect(matchesModelPattern("anthropic/*", "anthropic/claude-sonnet-4")).toBe(true);
    expect(matchesModelPattern("anthropic/*", "openai/gpt-4o")).toBe(false);
    expect(matchesModelPattern("openai/gpt-4o.mini", "openai/gpt-4oXmini")).toBe(false);
  });
});
