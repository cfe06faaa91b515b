import { randomUUID } from "node:crypto";
import { MockLanguageModelV4 } from "ai/test";
import type { LanguageModelV4CallOptions } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { createSession, getSession } from "@/lib/db/queries/sessions";
import { appendMessage, listActivePath } from "@/lib/db/queries/messages";
import { maybeSummarize, type SummarizerDeps } from "@/lib/memory/summarize";
import { createProjectRow } from "@/tests/support/chat-fixtures";

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const reply = (text: string) => ({
  content: [{ type: "text" as const, text }],
  finishReason: { unified: "stop" as const, raw: "stop" },
  usage,
  warnings: [],
});

function summarizer(answer: (call: LanguageModelV4CallOptions, n: number) => Promise<string> | string) {
  let n = 0;
  const model = new MockLanguageModelV4({ doGenerate: async (call) => reply(await answer(call, n++)) });
  return model;
}

function promptText(call: LanguageModelV4CallOptions): string {
  return JSON.stringify(call.prompt);
}

async function chatWith(count: number, memory: { enabled?: boolean } = {}) {
  const ownerId = randomUUID();
  const project = await createProjectRow(ownerId, {
    systemPrompt: "Be kind.",
    memoryThreshold: 6,
    memoryKeepRecent: 2,
    memoryEnabled: memory.enabled ?? true,
  });
  const session = (await createSession(ownerId, { projectId: project.id, title: "t", model: "offline" }))!;
  await addTurns(ownerId, session.id, count, 1);
  return { ownerId, sessionId: session.id };
}

async function addTurns(ownerId: string, sessionId: string, count: number, from: number) {
  for (let i = 0; i < count; i++) {
    const seq = from + i;
    await appendMessage(ownerId, sessionId, {
      role: seq % 2 === 1 ? "user" : "assistant",
      content: `Message number ${seq} about Zanzibar.`,
    });
  }
}

const deps = (model: MockLanguageModelV4, extra: Partial<SummarizerDeps> = {}): SummarizerDeps => ({
  model,
  chatContextWindow: 100_000,
  summarizerContextWindow: 100_000,
  backoffBaseMs: 0,
  ...extra,
});

describe("background summarization", () => {
  it("with N = 6 and K = 2, summarizes exactly the uncovered messages up to a turn boundary", async () => {
    const { ownerId, sessionId } = await chatWith(7);
    const model = summarizer(() => "S1");
    expect(await maybeSummarize(ownerId, sessionId, deps(model))).toBe("not_due");
    expect(model.doGenerateCalls).toHaveLength(0);

    await addTurns(ownerId, sessionId, 1, 8);
    expect(await maybeSummarize(ownerId, sessionId, deps(model))).toBe("summarized");
    const sent = promptText(model.doGenerateCalls[0]);
    for (let seq = 1; seq <= 6; seq++) expect(sent).toContain(`#${seq} `);
    expect(sent).not.toContain("#7 ");
    expect(sent).not.toContain("#8 ");
    expect(sent).toContain("(none yet)");

    const session = await getSession(ownerId, sessionId);
    expect(session).toMatchObject({ summary: "S1", summaryThroughSeq: 6, summaryCoveredMessages: 6, summaryStatus: "ready" });
    // Memory never touches the messages themselves.
    expect(await listActivePath(ownerId, sessionId)).toHaveLength(8);

    // The next summary is incremental: previous summary + only the messages after seq 6.
    await addTurns(ownerId, sessionId, 6, 9);
    const next = summarizer(() => "S2");
    expect(await maybeSummarize(ownerId, sessionId, deps(next))).toBe("summarized");
    const second = promptText(next.doGenerateCalls[0]);
    expect(second).toContain("S1");
    expect(second).not.toContain("#6 ");
    expect(second).toContain("#7 ");
    expect(second).toContain("#12 ");
    expect(await getSession(ownerId, sessionId)).toMatchObject({
      summary: "S2",
      summaryThroughSeq: 12,
      summaryCoveredMessages: 12,
    });
  });

  it("keeps the previous summary when the summarizer fails, returns nothing or stalls, and recovers later", async () => {
    const { ownerId, sessionId } = await chatWith(8);
    await maybeSummarize(ownerId, sessionId, deps(summarizer(() => "Known facts")));
    await addTurns(ownerId, sessionId, 6, 9);

    const failing = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new Error("upstream exploded with secret details");
      },
    });
    expect(await maybeSummarize(ownerId, sessionId, deps(failing))).toBe("failed");
    let session = await getSession(ownerId, sessionId);
    expect(session).toMatchObject({ summary: "Known facts", summaryThroughSeq: 6, summaryStatus: "failed", summaryFailures: 1 });
    expect(session?.summaryError).toBe("The summarizer model failed");

    expect(await maybeSummarize(ownerId, sessionId, deps(summarizer(() => "   ")))).toBe("failed");
    session = await getSession(ownerId, sessionId);
    expect(session).toMatchObject({
      summary: "Known facts",
      summaryError: "The summarizer returned an empty summary",
      summaryFailures: 2,
    });

    const stalling = new MockLanguageModelV4({
      doGenerate: (call) =>
        new Promise((_, reject) =>
          call.abortSignal?.addEventListener("abort", () => reject(call.abortSignal?.reason ?? new Error("aborted"))),
        ),
    });
    expect(await maybeSummarize(ownerId, sessionId, deps(stalling, { timeoutMs: 200 }))).toBe("failed");
    session = await getSession(ownerId, sessionId);
    expect(session).toMatchObject({ summary: "Known facts", summaryThroughSeq: 6, summaryError: "The summarizer timed out" });

    expect(await maybeSummarize(ownerId, sessionId, deps(summarizer(() => "Known facts, updated")))).toBe("summarized");
    session = await getSession(ownerId, sessionId);
    expect(session).toMatchObject({
      summary: "Known facts, updated",
      summaryThroughSeq: 12,
      summaryStatus: "ready",
      summaryFailures: 0,
      summaryError: null,
    });
  });

  it("waits out the back-off before retrying a failed summary", async () => {
    const { ownerId, sessionId } = await chatWith(8);
    const failing = summarizer(() => "");
    expect(await maybeSummarize(ownerId, sessionId, deps(failing, { backoffBaseMs: 60_000 }))).toBe("failed");
    const ok = summarizer(() => "fine");
    expect(await maybeSummarize(ownerId, sessionId, deps(ok))).toBe("busy");
    expect(ok.doGenerateCalls).toHaveLength(0);
  });

  it("lets two racing jobs produce one consistent summary with no gap and no overlap", async () => {
    const { ownerId, sessionId } = await chatWith(8);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    /** A job that says when it reached the model (lease taken, input read), then waits at the gate. */
    const job = (label: string) => {
      let reached!: () => void;
      const atModel = new Promise<void>((resolve) => (reached = resolve));
      const model = summarizer(async () => (reached(), await gate, label));
      // A lease that has run out when taken lets the other job in too: only the compare-and-set keeps them apart.
      const outcome = maybeSummarize(ownerId, sessionId, deps(model, { leaseMs: -60_000 }));
      // A job that never reaches the model ends instead, and its outcome fails the test below.
      return { outcome, started: Promise.race([atModel, outcome]) };
    };
    const a = job("A");
    await a.started;
    const b = job("B");
    await b.started;
    release();
    const outcomes = (await Promise.all([a.outcome, b.outcome])).sort();
    expect(outcomes).toEqual(["lost_race", "summarized"]);
    const session = await getSession(ownerId, sessionId);
    expect(["A", "B"]).toContain(session?.summary);
    expect(session).toMatchObject({ summaryThroughSeq: 6, summaryCoveredMessages: 6 });
  });

  it("makes no summarizer call when the project has memory off", async () => {
    const { ownerId, sessionId } = await chatWith(30, { enabled: false });
    const model = summarizer(() => "never");
    expect(await maybeSummarize(ownerId, sessionId, deps(model))).toBe("disabled");
    expect(model.doGenerateCalls).toHaveLength(0);
  });

  it("summarizes a pasted document in parts instead of dropping it", async () => {
    const { ownerId, sessionId } = await chatWith(0);
    await appendMessage(ownerId, sessionId, { role: "user", content: `Please read: ${"lorem ipsum ".repeat(3000)}THE END` });
    await appendMessage(ownerId, sessionId, { role: "assistant", content: "Read it." });
    await addTurns(ownerId, sessionId, 2, 3);
    const model = summarizer((_, n) => `summary after call ${n}`);
    const outcome = await maybeSummarize(
      ownerId,
      sessionId,
      deps(model, { chatContextWindow: 8192, summarizerContextWindow: 4096 }),
    );
    expect(outcome).toBe("summarized");
    expect(model.doGenerateCalls.length).toBeGreaterThan(2);
    const all = model.doGenerateCalls.map(promptText).join("\n");
    expect(all).toContain("THE END");
    expect(all).toContain("Please read");
    expect((await getSession(ownerId, sessionId))?.summaryThroughSeq).toBe(2);
  });

  it("continues from the stored state after a restart", async () => {
    const { ownerId, sessionId } = await chatWith(8);
    await maybeSummarize(ownerId, sessionId, deps(summarizer(() => "Before restart")));
    await closeDb(); // a new process on the same database
    await addTurns(ownerId, sessionId, 6, 9);
    const model = summarizer(() => "After restart");
    expect(await maybeSummarize(ownerId, sessionId, deps(model))).toBe("summarized");
    expect(promptText(model.doGenerateCalls[0])).toContain("Before restart");
    expect(await getSession(ownerId, sessionId)).toMatchObject({ summary: "After restart", summaryThroughSeq: 12 });
  });
});
