import { describe, expect, it } from "vitest";
import {
  markStopped,
  messageReasoning,
  messageText,
  prependOlder,
  storedMessageToUIMessage,
  type StoredMessage,
} from "@/lib/chat/ui/ui-messages";

const base: StoredMessage = {
  id: "m1",
  role: "assistant",
  content: "Hello **world**",
  parts: [{ type: "text", text: "Hello **world**" }],
  status: "complete",
  model: "offline",
  inputTokens: null,
  outputTokens: null,
  cost: null,
  errorCode: null,
};

describe("storedMessageToUIMessage", () => {
  it("keeps id, role, text parts and status/model/seq metadata", () => {
    expect(storedMessageToUIMessage({ ...base, seq: 7 }).metadata?.seq).toBe(7);
    expect(storedMessageToUIMessage(base)).toEqual({
      id: "m1",
      role: "assistant",
      parts: [{ type: "text", text: "Hello **world**" }],
      metadata: { status: "complete", model: "offline" },
    });
  });

  it("keeps reasoning parts in order and reports usage and error code", () => {
    const ui = storedMessageToUIMessage({
      ...base,
      parts: [
        { type: "step-start" },
        { type: "reasoning", text: "Let me think", state: "done" },
        { type: "text", text: "Answer", state: "done" },
      ],
      status: "error",
      inputTokens: 12,
      outputTokens: 3,
      errorCode: "upstream:model",
    });
    expect(ui.parts).toEqual([
      { type: "reasoning", text: "Let me think" },
      { type: "text", text: "Answer" },
    ]);
    expect(ui.metadata).toEqual({
      status: "error",
      model: "offline",
      usage: { input_tokens: 12, output_tokens: 3, cost: null },
      errorCode: "upstream:model",
    });
    expect(messageReasoning(ui)).toBe("Let me think");
    expect(messageText(ui)).toBe("Answer");
  });

  it("falls back to the content column when the stored parts hold no text", () => {
    const ui = storedMessageToUIMessage({ ...base, role: "user", parts: [], content: "typed via REST", model: null });
    expect(ui.parts).toEqual([{ type: "text", text: "typed via REST" }]);
  });

  it("falls back to the content column when the stored parts hold only reasoning", () => {
    const ui = storedMessageToUIMessage({ ...base, parts: [{ type: "reasoning", text: "Let me think" }], content: "Answer" });
    expect(ui.parts).toEqual([
      { type: "reasoning", text: "Let me think" },
      { type: "text", text: "Answer" },
    ]);
  });

  it("drops malformed parts instead of crashing the page", () => {
    const ui = storedMessageToUIMessage({
      ...base,
      parts: [null, 3, { type: "text" }, { type: "text", text: 5 }, { type: "text", text: "ok" }],
    });
    expect(ui.parts).toEqual([{ type: "text", text: "ok" }]);
  });

  it("shows an empty stopped reply as no parts rather than inventing text", () => {
    const ui = storedMessageToUIMessage({ ...base, parts: [], content: "", status: "incomplete" });
    expect(ui.parts).toEqual([]);
    expect(ui.metadata?.status).toBe("incomplete");
  });
});

describe("storedMessageToUIMessage, field by field (#18)", () => {
  it("sets no seq, usage or versions key when the row has none (not even as undefined)", () => {
    const ui = storedMessageToUIMessage(base);
    expect(Object.keys(ui.metadata ?? {}).sort()).toEqual(["model", "status"]);
  });

  it("reports usage when any one of input tokens, output tokens or cost is known", () => {
    const usageOf = (row: Partial<StoredMessage>) => storedMessageToUIMessage({ ...base, ...row }).metadata?.usage;
    expect(usageOf({ inputTokens: 5 })).toStrictEqual({ input_tokens: 5, output_tokens: null, cost: null });
    expect(usageOf({ outputTokens: 6 })).toStrictEqual({ input_tokens: null, output_tokens: 6, cost: null });
    expect(usageOf({ cost: "0.25" })).toStrictEqual({ input_tokens: null, output_tokens: null, cost: "0.25" });
  });

  it("lists the versions of a message only when there is more than one", () => {
    expect(storedMessageToUIMessage({ ...base, versionIds: ["m0", "m1"] }).metadata?.versions).toEqual(["m0", "m1"]);
    expect(storedMessageToUIMessage({ ...base, versionIds: ["m1"] }).metadata).not.toHaveProperty("versions");
    expect(storedMessageToUIMessage({ ...base, versionIds: [] }).metadata).not.toHaveProperty("versions");
  });

  it("reads the content column when the parts column is not an array at all", () => {
    // The jsonb column can hold anything another client wrote; the type says what Parley writes.
    const parts = { type: "text", text: "an object" } as unknown as unknown[];
    const ui = storedMessageToUIMessage({ ...base, parts, content: "the text" });
    expect(ui.parts).toEqual([{ type: "text", text: "the text" }]);
  });

  it("adds the content column only when no part holds text", () => {
    const ui = storedMessageToUIMessage({ ...base, parts: [{ type: "text", text: "part" }], content: "column" });
    expect(ui.parts).toEqual([{ type: "text", text: "part" }]);
  });

  it("joins text parts as they are and reasoning parts with a blank line", () => {
    const message = {
      parts: [
        { type: "reasoning" as const, text: "first" },
        { type: "text" as const, text: "Hello, " },
        { type: "reasoning" as const, text: "second" },
        { type: "text" as const, text: "world" },
      ],
    };
    expect(messageText(message)).toBe("Hello, world");
    expect(messageReasoning(message)).toBe("first\n\nsecond");
  });
});

describe("prependOlder", () => {
  it("puts the older page first and skips ids already shown", () => {
    const current = [{ id: "c" }, { id: "d" }];
    expect(prependOlder([{ id: "a" }, { id: "b" }, { id: "c" }], current).map((m) => m.id)).toEqual(["a", "b", "c", "d"]);
  });
});

describe("markStopped", () => {
  const user = { id: "u1", role: "user" as const, parts: [{ type: "text" as const, text: "Hi" }] };
  const streaming = {
    id: "a1",
    role: "assistant" as const,
    parts: [{ type: "text" as const, text: "Half" }],
    metadata: { model: "m" },
  };

  it("marks the reply being streamed as Stopped, keeping what arrived", () => {
    expect(markStopped([user, streaming], { id: "a1", status: "incomplete" })).toEqual([
      user,
      { ...streaming, metadata: { model: "m", status: "incomplete" } },
    ]);
  });

  it("keeps every earlier message when it marks the last reply", () => {
    const earlier = { ...streaming, id: "a0", metadata: { status: "complete" as const } };
    const again = { ...user, id: "u2" };
    expect(markStopped([user, earlier, again, streaming], { id: "a1", status: "incomplete" }).map((m) => m.id)).toEqual([
      "u1",
      "a0",
      "u2",
      "a1",
    ]);
  });

  it("adds nothing when the stored reply completed, or there is no message at all", () => {
    expect(markStopped([user], { id: "a9", status: "complete" })).toEqual([user]);
    expect(markStopped([], { id: "a9", status: "incomplete" })).toEqual([]);
  });

  it("leaves a reply that completed before the stop as it is", () => {
    const done = { ...streaming, metadata: { status: "complete" as const } };
    const all = [user, done];
    expect(markStopped(all, { id: "a1", status: "complete" })).toBe(all);
  });

  it("adds the stored empty reply when Stop came before the first word", () => {
    expect(markStopped([user], { id: "a9", status: "incomplete" })).toEqual([
      user,
      { id: "a9", role: "assistant", parts: [], metadata: { status: "incomplete" } },
    ]);
    expect(markStopped([user], undefined)).toEqual([user]);
  });
});
