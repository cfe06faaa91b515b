import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { startGeneration } from "@/lib/chat/engine/send-message";
import { stopLocalGeneration } from "@/lib/chat/engine/stop-registry";
import type { OpenRouterStandin } from "@/tests/support/openrouter-standin";
import {
  createProjectRow,
  createSessionRow,
  gate,
  expectStoredFailure,
  storedMessages,
  storedSession,
  useStandin,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";
import { isGenerationActive, releaseGeneration } from "@/lib/db/queries/sessions";
import { listActivePath } from "@/lib/db/queries/messages";

/** Set by a test: the next reply's insert signals `reached`, then waits for `until` before the real insert. */
const replyInsert = vi.hoisted(() => ({ hold: undefined as { reached: () => void; until: Promise<void> } | undefined }));
vi.mock("@/lib/db/queries/messages", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/db/queries/messages")>();
  const appendMessage: typeof real.appendMessage = async (ownerId, sessionId, message) => {
    const hold = message.role === "assistant" ? replyInsert.hold : undefined;
    if (hold) {
      replyInsert.hold = undefined;
      hold.reached();
      await hold.until;
    }
    return real.appendMessage(ownerId, sessionId, message);
  };
  return { ...real, appendMessage };
});

let standin: OpenRouterStandin;
beforeAll(async () => {
  standin = await useStandin({ MODEL_STALL_TIMEOUT_MS: "2000" });
});
afterAll(() => standin.close());
beforeEach(() =>
  standin.setScript({ reply: "Hello there, friend.", ttftMs: 0, tokenDelayMs: 0, failure: undefined, reasoning: undefined }),
);

/** OpenRouter accepts string or part-array content; compare the text either way. */
function flatten(messages: Array<{ role: string; content: unknown }> | undefined) {
  return (messages ?? []).map((m) => ({
    role: m.role,
    content: Array.isArray(m.content) ? m.content.map((p: { text?: string }) => p.text ?? "").join("") : m.content,
  }));
}

async function setup(systemPrompt = "") {
  const { user } = await createTestUser();
  const project = await createProjectRow(user.id, { systemPrompt });
  const session = await createSessionRow(user.id, project.id);
  return { user, project, session };
}

describe("send-message service through the real OpenRouter provider", () => {
  it("stores the user message first, then the complete reply with usage, and sends instructions and real turns", async () => {
    const { user, session } = await setup("You are terse.");
    standin.setScript({ usage: { prompt_tokens: 42, completion_tokens: 5 } });
    const first = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "First question" });
    const outcome = await first.done;
    expect(outcome.status).toBe("complete");
    expect(outcome.text).toBe("Hello there, friend.");

    const second = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "Second question" });
    await second.done;
    const rows = await storedMessages(session.id);
    expect(rows.map((r) => [r.seq, r.role, r.content, r.status])).toEqual([
      [1, "user", "First question", "complete"],
      [2, "assistant", "Hello there, friend.", "complete"],
      [3, "user", "Second question", "complete"],
      [4, "assistant", "Hello there, friend.", "complete"],
    ]);
    expect(rows[3]).toMatchObject({
      model: "meta-llama/llama-3.3-70b-instruct:free",
      inputTokens: 42,
      outputTokens: 5,
      errorCode: null,
    });
    const body = standin.requests.at(-1)!.body;
    expect(body.model).toBe("meta-llama/llama-3.3-70b-instruct:free");
    expect(flatten(body.messages)).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: "First question" },
      { role: "assistant", content: "Hello there, friend." },
      { role: "user", content: "Second question" },
    ]);
    const after = await storedSession(session.id);
    expect(after).toMatchObject({ messageCount: 4, lastInputTokens: 42, generationId: null });
  });

  it("holds the session's lease until the reply is stored: a send meanwhile is refused (409)", async () => {
    const { user, session } = await setup();
    const reached = gate();
    const proceed = gate();
    replyInsert.hold = { reached: reached.open, until: proceed.promise };
    const generation = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "first" });
    try {
      await reached.promise; // the model has answered; its reply is about to be stored
      // A lease released now would let the next turn in between the question and its answer.
      expect((await storedSession(session.id)).generationId).toBe(generation.generationId);
      expect(await isGenerationActive(user.id, session.id, generation.generationId)).toBe(true);
      await expect(startGeneration({ ownerId: user.id, sessionId: session.id, text: "too soon" })).rejects.toMatchObject({
        status: 409,
        code: "conflict:generation",
      });
    } finally {
      proceed.open();
    }
    expect((await generation.done).status).toBe("complete");
    expect((await storedMessages(session.id)).map((r) => [r.role, r.content])).toEqual([
      ["user", "first"],
      ["assistant", "Hello there, friend."],
    ]);
    expect((await storedSession(session.id)).generationId).toBeNull();
    await (
      await startGeneration({ ownerId: user.id, sessionId: session.id, text: "next" })
    ).done;
    expect((await storedMessages(session.id)).map((r) => r.content)).toEqual([
      "first",
      "Hello there, friend.",
      "next",
      "Hello there, friend.",
    ]);
  });

  it("keeps the user message and stores an error reply when the upstream answers 500 before the stream", async () => {
    const { user, session } = await setup();
    standin.once({ failure: { kind: "http", status: 500, message: "secret upstream detail" } });
    const generation = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "Will this fail?" });
    const outcome = await generation.done;
    expect(outcome).toMatchObject({ status: "error", streamed: false, error: { code: "upstream:model" } });
    expect(JSON.stringify(outcome.error)).not.toContain("secret");
    const rows = await storedMessages(session.id);
    expect(rows.map((r) => [r.role, r.status, r.errorCode])).toEqual([
      ["user", "complete", null],
      ["assistant", "error", "upstream:model"],
    ]);
    expect((await storedSession(session.id)).generationId).toBeNull();
  });

  it("keeps the partial reply with status error when the stream fails midway", async () => {
    const { user, session } = await setup();
    standin.once({ reply: "one two three four five", failure: { kind: "mid-stream", afterChunks: 2 } });
    const outcome = await (await startGeneration({ ownerId: user.id, sessionId: session.id, text: "go" })).done;
    expect(outcome.status).toBe("error");
    expect(outcome.streamed).toBe(true);
    const rows = await storedMessages(session.id);
    expect(rows[1]).toMatchObject({ role: "assistant", status: "error", content: "one two " });
  });

  it("cuts off a stalled upstream and reports it", async () => {
    const { user, session } = await setup();
    standin.once({ reply: "one two three four", failure: { kind: "stall", afterChunks: 2 } });
    const started = Date.now();
    const outcome = await (await startGeneration({ ownerId: user.id, sessionId: session.id, text: "go" })).done;
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(outcome).toMatchObject({ status: "error", text: "one two ", error: { code: "upstream:stall" } });
    await expectStoredFailure(session.id, "upstream:stall", "one two ");
  });

  it("stores what arrived as incomplete when the user presses Stop", async () => {
    const { user, session } = await setup();
    standin.once({ reply: "a b c d e f g h i j k l m n o p", tokenDelayMs: 60 });
    const generation = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "go" });
    const reader = generation.result.stream.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === "text-delta") break;
    }
    expect(await stopLocalGeneration(session.id)).toBe(true);
    const outcome = await generation.done;
    expect(outcome.status).toBe("incomplete");
    const rows = await storedMessages(session.id);
    expect(rows[1].status).toBe("incomplete");
    expect(rows[1].content.length).toBeGreaterThan(0);
    expect(rows[1].content.length).toBeLessThan("a b c d e f g h i j k l m n o p".length);
  });

  it("refuses a second send while a reply streams (409) and stores nothing twice", async () => {
    const { user, session } = await setup();
    standin.once({ reply: "slow reply here", ttftMs: 300 });
    const first = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "first" });
    await expect(startGeneration({ ownerId: user.id, sessionId: session.id, text: "second" })).rejects.toMatchObject({
      status: 409,
      code: "conflict:generation",
    });
    await first.done;
    const rows = await storedMessages(session.id);
    expect(rows.map((r) => r.content)).toEqual(["first", "slow reply here"]);
    // Once the reply is stored the session takes the next message.
    await (
      await startGeneration({ ownerId: user.id, sessionId: session.id, text: "third" })
    ).done;
    expect((await storedMessages(session.id)).length).toBe(4);
  });

  it("regenerate answers the same question again and keeps the previous reply as another version", async () => {
    const { user, session } = await setup();
    await (
      await startGeneration({ ownerId: user.id, sessionId: session.id, text: "Question" })
    ).done;
    standin.setScript({ reply: "A better answer." });
    await (
      await startGeneration({ ownerId: user.id, sessionId: session.id, trigger: "regenerate-message" })
    ).done;
    const rows = await storedMessages(session.id);
    expect(rows.map((r) => [r.role, r.content])).toEqual([
      ["user", "Question"],
      ["assistant", "Hello there, friend."],
      ["assistant", "A better answer."],
    ]);
    // Both replies answer the question (siblings); the chat shows and continues the new one.
    expect(rows[1]!.parentId).toBe(rows[0]!.id);
    expect(rows[2]!.parentId).toBe(rows[0]!.id);
    expect((await listActivePath(user.id, session.id)).map((r) => r.content)).toEqual(["Question", "A better answer."]);
    expect(flatten(standin.requests.at(-1)!.body.messages)).toEqual([{ role: "user", content: "Question" }]);
    expect((await storedSession(session.id)).messageCount).toBe(3);
  });

  it("stores reasoning parts of reasoning models", async () => {
    const { user, session } = await setup();
    standin.once({ reasoning: "Let me think.", reply: "Answer." });
    const outcome = await (await startGeneration({ ownerId: user.id, sessionId: session.id, text: "Why?" })).done;
    expect(outcome).toMatchObject({ status: "complete", reasoning: "Let me think.", text: "Answer." });
    expect((await storedMessages(session.id))[1].parts).toEqual([
      { type: "reasoning", text: "Let me think." },
      { type: "text", text: "Answer." },
    ]);
  });

  it("refuses another user's session with 404", async () => {
    const { session } = await setup();
    const stranger = await createTestUser("Stranger");
    await expect(startGeneration({ ownerId: stranger.user.id, sessionId: session.id, text: "hi" })).rejects.toMatchObject({
      status: 404,
    });
    expect(await storedMessages(session.id)).toEqual([]);
  });

  // A Stop that reached another instance clears the lease in the database; the generating instance polls it
  // (only on a shared Postgres: the embedded database is one process, where the in-process stop suffices).
  it.runIf(inject("testDatabase").kind === "postgres")(
    "stops when another instance clears the generation lease in the database",
    async () => {
      const { user, session } = await setup();
      standin.once({ reply: "a b c d e f g h i j k l m n o p q r s t u v w x y z", tokenDelayMs: 150 });
      const generation = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "go" });
      await new Promise((r) => setTimeout(r, 300));
      await releaseGeneration(user.id, session.id, generation.generationId);
      const outcome = await generation.done;
      expect(outcome.status).toBe("incomplete");
      expect((await storedMessages(session.id))[1]).toMatchObject({ status: "incomplete" });
    },
  );
});
