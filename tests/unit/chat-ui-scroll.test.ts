import { describe, expect, it } from "vitest";
import { anchoredScrollTop, distanceFromBottom, isNearBottom } from "@/components/chat/scroll-math";
import { readChatError } from "@/components/chat/chat-errors";
import { groupModels, type ModelOption } from "@/lib/chats/chat-data";

describe("scroll math", () => {
  it("measures the distance from the bottom", () => {
    expect(distanceFromBottom({ scrollTop: 500, scrollHeight: 1500, clientHeight: 1000 })).toBe(0);
    expect(distanceFromBottom({ scrollTop: 100, scrollHeight: 1500, clientHeight: 1000 })).toBe(400);
  });

  it("counts a few pixels above the bottom as the bottom, but not a scrolled-up reader", () => {
    expect(isNearBottom({ scrollTop: 470, scrollHeight: 1500, clientHeight: 1000 })).toBe(true);
    expect(isNearBottom({ scrollTop: 300, scrollHeight: 1500, clientHeight: 1000 })).toBe(false);
  });

  it("keeps the same content in view when older messages are inserted above", () => {
    // Reader 120px from the top; 3000px of older messages arrive above.
    expect(anchoredScrollTop({ scrollTop: 120, scrollHeight: 4000 }, 7000)).toBe(3120);
    expect(anchoredScrollTop({ scrollTop: 0, scrollHeight: 4000 }, 4000)).toBe(0);
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
  it("groups by provider in a fixed order and leaves out empty groups", () => {
    const models: ModelOption[] = [
      { id: "offline", name: "Offline (no API key)", provider: "offline", available: true },
      { id: "a", name: "A", provider: "openrouter", available: false, unavailableReason: "OPENROUTER_API_KEY is not set" },
      { id: "b", name: "B", provider: "openrouter", available: true },
    ];
    expect(groupModels(models).map((g) => [g.provider, g.models.map((m) => m.id)])).toEqual([
      ["openrouter", ["a", "b"]],
      ["offline", ["offline"]],
    ]);
  });
});
