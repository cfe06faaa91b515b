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
    expect(markStopped([user, streaming], { id: "a1", status: "incomplete" }).at(-1)).toEqual({
      ...streaming,
      metadata: { model: "m", status: "incomplete" },
    });
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
