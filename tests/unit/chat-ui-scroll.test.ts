import { describe, expect, it } from "vitest";
import { distanceFromBottom, isNearBottom } from "@/components/chat/scroll-math";
import { readChatError } from "@/components/chat/chat-errors";
import { messageRows } from "@/components/chat/message-rows";
import { filterModels, formatContext, groupModels, modelDetails, type ModelOption } from "@/lib/chats/chat-data";

describe("scroll math", () => {
  it("measures the distance from the bottom", () => {
    expect(distanceFromBottom({ scrollTop: 500, scrollHeight: 1500, clientHeight: 1000 })).toBe(0);
    expect(distanceFromBottom({ scrollTop: 100, scrollHeight: 1500, clientHeight: 1000 })).toBe(400);
  });

  it("counts a few pixels above the bottom as the bottom, but not a scrolled-up reader", () => {
    expect(isNearBottom({ scrollTop: 470, scrollHeight: 1500, clientHeight: 1000 })).toBe(true);
    expect(isNearBottom({ scrollTop: 300, scrollHeight: 1500, clientHeight: 1000 })).toBe(false);
  });
});

describe("readChatError", () => {
  it("explains a 409 conflict and flags it", () => {
    const e = readChatError(new Error(JSON.stringify({ detail: "A reply is already streaming", code: "conflict:generation" })));
    expect(e?.refused).toBe(true);
    expect(e?.message).toMatch(/already being written/);
  });

  it("shows the server's sentence for a 429 (not the JSON) and flags the send as refused", () => {
    const body = {
      detail: "You are sending messages faster than this server allows. Try again in 42 seconds.",
      code: "rate_limited:chat",
    };
    expect(readChatError(new Error(JSON.stringify(body)))).toEqual({ message: body.detail, refused: true });
  });

  it("shows why a send over the monthly budget was refused (402), flagged as refused", () => {
    const body = { detail: "You have used up this month's budget set by an administrator.", code: "budget_exceeded:chat" };
    expect(readChatError(new Error(JSON.stringify(body)))).toEqual({ message: body.detail, refused: true });
  });

  it("shows the server's detail for other JSON errors", () => {
    expect(readChatError(new Error(JSON.stringify({ detail: "The model provider failed", code: "upstream:model" })))).toEqual({
      message: "The model provider failed",
      refused: false,
    });
  });

  it("never shows raw text from a non-JSON error", () => {
    expect(readChatError(new Error("TypeError: Failed to fetch"))?.message).toMatch(/Could not reach the server/);
    expect(readChatError(new Error("<html>502 Bad Gateway</html>"))?.message).toMatch(/could not be generated/);
    expect(readChatError(new Error("TypeError: x is undefined"))?.message).toMatch(/could not be generated/);
    expect(readChatError(new Error("Error: boom\n    at foo (file.js:1:2)"))?.message).toMatch(/could not be generated/);
    expect(readChatError(undefined)).toBeNull();
  });

  it("shows a short sentence the stream reported mid-reply", () => {
    expect(readChatError(new Error("The model provider failed"))).toEqual({
      message: "The model provider failed",
      refused: false,
    });
  });
});

describe("groupModels", () => {
  const option = (id: string, provider: ModelOption["provider"], vendor: string, available = true): ModelOption => ({
    id,
    name: id.toUpperCase(),
    provider,
    vendor,
    pricing: null,
    free: provider !== "openrouter",
    available,
    yourKey: false,
    ...(available ? {} : { unavailableReason: "OPENROUTER_API_KEY is not set" }),
  });

  it("groups OpenRouter's models by vendor (alphabetically), then local, then offline; no empty groups", () => {
    const models = [
      option("offline", "offline", "offline"),
      option("qwen/a", "openrouter", "qwen", false),
      option("meta-llama/b", "openrouter", "meta-llama"),
      option("qwen/c", "openrouter", "qwen"),
    ];
    expect(groupModels(models).map((g) => [g.label, g.models.map((m) => m.id)])).toEqual([
      ["Meta Llama", ["meta-llama/b"]],
      ["Qwen", ["qwen/a", "qwen/c"]],
      ["Offline", ["offline"]],
    ]);
  });

  it("names a vendor as OpenRouter's model names spell it", () => {
    const models = [
      { ...option("x-ai/grok-4", "openrouter", "x-ai"), name: "xAI: Grok 4" },
      { ...option("openai/gpt-4o-mini", "openrouter", "openai"), name: "OpenAI: GPT-4o-mini" },
    ];
    expect(groupModels(models).map((g) => g.label)).toEqual(["OpenAI", "xAI"]);
  });

  it("search keeps the models whose name, id or vendor hold every word", () => {
    const models = [
      option("anthropic/claude-sonnet-4", "openrouter", "anthropic"),
      option("qwen/qwen3-coder:free", "openrouter", "qwen"),
    ];
    expect(filterModels(models, "  CLAUDE  ").map((m) => m.id)).toEqual(["anthropic/claude-sonnet-4"]);
    expect(filterModels(models, "qwen free").map((m) => m.id)).toEqual(["qwen/qwen3-coder:free"]);
    expect(filterModels(models, "qwen claude")).toEqual([]);
    expect(filterModels(models, "")).toHaveLength(2);
  });

  it("shows context size and price, or free", () => {
    expect(modelDetails({ contextWindow: 200_000, free: false, pricing: { prompt: 3, completion: 15 } })).toBe(
      "200K context · $3 / $15 per M tokens",
    );
    expect(modelDetails({ contextWindow: 1_048_576, free: true, pricing: { prompt: 0, completion: 0 } })).toBe(
      "1M context · free",
    );
    expect(modelDetails({ contextWindow: 32_000, free: false, pricing: null })).toBe("32K context");
    // Billed to the user's own OpenRouter key: said after the price.
    expect(modelDetails({ contextWindow: 200_000, free: false, pricing: { prompt: 3, completion: 15 }, yourKey: true })).toBe(
      "200K context · $3 / $15 per M tokens · your key",
    );
    expect(formatContext(4096)).toBe("4K");
  });
});

describe("messageRows", () => {
  const message = (id: string) => ({ id, role: "user" as const, parts: [{ type: "text" as const, text: id }] });
  const messages = [message("a"), message("b"), message("c")];

  it("is one row per message, keyed by id, with the memory divider before its message", () => {
    const rows = messageRows(messages, 1, false);
    expect(rows.map((row) => row.key)).toEqual(["a", "memory-divider", "b", "c"]);
    expect(rows[2]).toMatchObject({ kind: "message", index: 1 });
  });

  it("adds the writing indicator last while a reply is awaited, and no divider at -1", () => {
    expect(messageRows(messages, -1, true).map((row) => row.kind)).toEqual(["message", "message", "message", "writing"]);
    expect(messageRows([], -1, false)).toEqual([]);
  });
});
