import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { startGeneration } from "@/lib/chat/engine/send-message";
import { summarizeAfterReply } from "@/lib/chat/engine/memory-hook";
import { getDb } from "@/lib/db/client";
import { projects } from "@/lib/db/schema";
import { MEMORY_SECTION_START } from "@/lib/memory/prompt";
import {
  contentText,
  createProjectRow,
  createSessionRow,
  isSummarizer,
  storedSession,
  standinForFile,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";

const standin = standinForFile();
beforeEach(() => standin().setScript({ reply: "Noted, thank you.", failure: undefined, usage: undefined }));

async function conversation(memory: { enabled: boolean; threshold?: number; keepRecent?: number }) {
  const { user } = await createTestUser();
  const project = await createProjectRow(user.id, { systemPrompt: "You are Parley's test bot.", memoryEnabled: memory.enabled });
  const db = await getDb();
  await db
    .update(projects)
    .set({ memoryThreshold: memory.threshold ?? 6, memoryKeepRecent: memory.keepRecent ?? 2 })
    .where(eq(projects.id, project.id));
  const session = await createSessionRow(user.id, project.id);
  /** One turn as the route runs it: the reply, then the after-reply memory check (awaited here). */
  const turn = async (text: string) => {
    const generation = await startGeneration({ ownerId: user.id, sessionId: session.id, text });
    await generation.done;
    return summarizeAfterReply(user.id, generation);
  };
  return { user, session, turn };
}

describe("memory in the chat path (real OpenRouter provider through the stand-in)", () => {
  it("with N = 6 and K = 2: summarizes exactly the uncovered messages, then sends the summary and only later turns", async () => {
    const { session, turn } = await conversation({ enabled: true });
    const start = standin().requests.length;
    for (let i = 1; i <= 3; i++) expect(await turn(`Question ${i}: my number is ${i * 111}.`)).toBe("not_due");
    expect(standin().requests.slice(start).filter(isSummarizer)).toHaveLength(0);

    standin().once({ reply: "Answer four." });
    standin().once({ reply: "SUMMARY: the user's numbers are 111, 222 and 333." });
    expect(await turn("Question 4: my number is 444.")).toBe("summarized");
    const summarizerRequest = standin().requests.at(-1)!;
    expect(isSummarizer(summarizerRequest)).toBe(true);
    const summarizerInput = (summarizerRequest.body.messages ?? [])
      .filter((m) => m.role === "user")
      .map((m) => contentText(m.content))
      .join("\n");
    for (const n of [1, 2, 3]) expect(summarizerInput).toContain(`Question ${n}: my number is ${n * 111}.`);
    expect(summarizerInput).not.toContain("Question 4");
    expect(summarizerInput.match(/\[#\d+ (user|assistant)\]/g)).toEqual([
      "[#1 user]",
      "[#2 assistant]",
      "[#3 user]",
      "[#4 assistant]",
      "[#5 user]",
      "[#6 assistant]",
    ]);
    expect(await storedSession(session.id)).toMatchObject({
      summaryThroughSeq: 6,
      summaryCoveredMessages: 6,
      summaryStatus: "ready",
    });

    await turn("Question 5: what were my numbers?");
    const chatRequest = standin()
      .requests.filter((r) => !isSummarizer(r))
      .at(-1)!;
    const sent = (chatRequest.body.messages ?? []).map((m) => ({ role: m.role, content: contentText(m.content) }));
    expect(sent[0].role).toBe("system");
    expect(sent[0].content.startsWith("You are Parley's test bot.")).toBe(true);
    expect(sent[0].content).toContain(MEMORY_SECTION_START);
    expect(sent[0].content).toContain("SUMMARY: the user's numbers are 111, 222 and 333.");
    expect(sent.slice(1)).toEqual([
      { role: "user", content: "Question 4: my number is 444." },
      { role: "assistant", content: "Answer four." },
      { role: "user", content: "Question 5: what were my numbers?" },
    ]);
  }, 120_000);

  it("keeps input tokens per turn flat over a 100-turn conversation, where memory off grows without bound", async () => {
    standin().setScript({ reply: "A reply of a few words to keep the conversation going." });
    const measure = async (enabled: boolean) => {
      const { session, turn } = await conversation({ enabled });
      const perTurn: number[] = [];
      for (let i = 1; i <= 100; i++) {
        if (enabled)
          standin().setScript({
            reply: i % 5 === 0 ? "Short running summary." : "A reply of a few words to keep the conversation going.",
          });
        await turn(`Turn ${i}: here is a message with some detail about item ${i} and its price of ${i * 3} euros.`);
        perTurn.push((await storedSession(session.id)).lastInputTokens ?? 0);
      }
      return perTurn;
    };
    const on = await measure(true);
    const off = await measure(false);
    const max = (xs: number[]) => Math.max(...xs);
    // With memory on, the last 20 turns cost no more than the early turns once memory started working.
    expect(max(on.slice(80))).toBeLessThanOrEqual(max(on.slice(10, 30)) * 1.5);
    // Without it, the last turn carries the whole history.
    expect(off[99]).toBeGreaterThan(off[19] * 3);
    expect(on[99]).toBeLessThan(off[99] / 4);
    console.info(
      `input tokens at turns 20/50/100 — memory on: ${on[19]}/${on[49]}/${on[99]}, off: ${off[19]}/${off[49]}/${off[99]}`,
    );
  }, 240_000);

  it("with memory off, sends the full history and never calls the summarizer", async () => {
    const { turn } = await conversation({ enabled: false });
    const start = standin().requests.length;
    for (let i = 1; i <= 8; i++) expect(await turn(`Message ${i}`)).toBe("disabled");
    const requests = standin().requests.slice(start);
    expect(requests.filter(isSummarizer)).toHaveLength(0);
    const last = requests.at(-1)!.body.messages ?? [];
    expect(last.filter((m) => m.role === "user").map((m) => contentText(m.content))).toEqual(
      Array.from({ length: 8 }, (_, i) => `Message ${i + 1}`),
    );
  }, 120_000);
});
