import { beforeEach, describe, expect, it } from "vitest";
import { startGeneration } from "@/lib/chat/engine/send-message";
import { summarizeAfterReply } from "@/lib/chat/engine/memory-hook";
import { listActivePath, listMessagesPage, selectBranch } from "@/lib/db/queries/messages";
import { searchChats } from "@/lib/db/queries/search";
import { searchTerms } from "@/lib/search/terms";
import { messagePages } from "@/lib/transfer/export";
import type { RecordedRequest } from "@/tests/support/openrouter-standin";
import {
  contentText,
  createProjectRow,
  createSessionRow,
  isSummarizer,
  isTitleRequest,
  standinForFile,
  storedMessages,
  storedSession,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";

/**
 * Edit, regenerate and branch (#15 §2): messages form a tree, the chat follows its active path, and what the
 * model receives (history and memory) is only ever that path's. Memory thresholds are small enough that every
 * branch gets summaries of its own.
 */
const standin = standinForFile();
beforeEach(() => {
  standin().setScript({ reply: "Noted.", failure: undefined, usage: undefined, pause: undefined, ttftMs: 0 });
  standin().answer("summarizer", undefined);
});

/** Everything a recorded request showed the model, instructions included, as one text. */
const seen = (r: RecordedRequest) => (r.body.messages ?? []).map((m) => contentText(m.content)).join("\n");
const chatTurns = () => standin().requests.filter((r) => !isSummarizer(r) && !isTitleRequest(r));
const summarizerBody = (body: RecordedRequest["body"]) => isSummarizer({ body } as RecordedRequest);
const summarizerCalls = () => standin().requests.filter(isSummarizer).length;

async function chat(memory: { threshold: number; keepRecent: number } | undefined) {
  const { user } = await createTestUser();
  const project = await createProjectRow(user.id, {
    memoryEnabled: memory !== undefined,
    memoryThreshold: memory?.threshold,
    memoryKeepRecent: memory?.keepRecent,
  });
  const session = await createSessionRow(user.id, project.id);
  /** One turn as the route runs it, then the after-reply memory check (awaited here). */
  const turn = async (input: { text?: string; editOf?: string; parentId?: string; regenerate?: boolean }) => {
    const generation = await startGeneration({
      ownerId: user.id,
      sessionId: session.id,
      text: input.text,
      editOf: input.editOf,
      parentId: input.parentId,
      trigger: input.regenerate ? "regenerate-message" : "submit-message",
    });
    const outcome = await generation.done;
    const memoryOutcome = await summarizeAfterReply(user.id, generation);
    return { generation, outcome, memoryOutcome, request: chatTurns().at(-1)! };
  };
  return { user, session, turn };
}

describe("branches", () => {
  it("an edit makes a sibling and a new reply, keeps the old branch, and the model sees only the new path", async () => {
    const { user, session, turn } = await chat(undefined);
    const first = await turn({ text: "My name is Ada." });
    await turn({ text: "I live in Paris." });
    const edited = await turn({ editOf: first.generation.userMessage!.id, text: "My name is Grace." });

    expect(edited.request.body.messages?.map((m) => contentText(m.content))).toEqual(["My name is Grace."]);
    const all = await storedMessages(session.id);
    expect(all).toHaveLength(6);
    const grace = all.find((m) => m.content === "My name is Grace.")!;
    expect(grace.parentId).toBeNull();
    expect((await listActivePath(user.id, session.id)).map((m) => m.content)).toEqual(["My name is Grace.", "Noted."]);

    // The history API's page: the active path, each message with its versions (‹ 2/2 › on the edited one).
    const page = (await listMessagesPage(user.id, session.id, { limit: 50 }))!;
    expect(page.rows.map((r) => r.content)).toEqual(["My name is Grace.", "Noted."]);
    expect(page.rows[0]!.versionIds).toEqual([first.generation.userMessage!.id, grace.id]);
    expect(page.rows[1]!.versionIds).toHaveLength(1);

    // Switching to version 1 goes back to where that branch was last continued, and stays (the session holds it).
    const leaf = await selectBranch(user.id, session.id, first.generation.userMessage!.id);
    expect((await storedSession(session.id)).activeLeafId).toBe(leaf);
    expect((await listActivePath(user.id, session.id)).map((m) => m.content)).toEqual([
      "My name is Ada.",
      "Noted.",
      "I live in Paris.",
      "Noted.",
    ]);
    const next = await turn({ text: "Where do I live?" });
    expect(seen(next.request)).toContain("I live in Paris.");
    expect(seen(next.request)).not.toContain("Grace");
    // Search and export follow the active path: Grace's branch is not shown, so neither finds it.
    const found = async (word: string) =>
      (await searchChats(user.id, searchTerms(word)!, { limit: 10 })).rows.map((r) => r.content);
    expect(await found("Paris")).toEqual(["I live in Paris."]);
    expect(await found("Grace")).toEqual([]);
    const exported: string[] = [];
    for await (const rows of messagePages(user.id, session.id)) exported.push(...rows.map((r) => r.content));
    expect(exported).toEqual(["My name is Ada.", "Noted.", "I live in Paris.", "Noted.", "Where do I live?", "Noted."]);
    expect(await selectBranch(user.id, session.id, "00000000-0000-4000-8000-000000000000")).toBeUndefined();
    const stranger = await createTestUser();
    expect(await selectBranch(stranger.user.id, session.id, grace.id)).toBeUndefined();
  });

  it("regenerate keeps every previous reply as a version of the answer", async () => {
    const { user, session, turn } = await chat(undefined);
    await turn({ text: "Tell me a joke." });
    standin().setScript({ reply: "Second joke." });
    await turn({ regenerate: true });
    standin().setScript({ reply: "Third joke." });
    const third = await turn({ regenerate: true });
    expect(third.request.body.messages?.map((m) => contentText(m.content))).toEqual(["Tell me a joke."]);
    const page = (await listMessagesPage(user.id, session.id, { limit: 50 }))!;
    expect(page.rows.map((r) => r.content)).toEqual(["Tell me a joke.", "Third joke."]);
    expect(page.rows[1]!.versionIds).toHaveLength(3);
    expect((await storedMessages(session.id)).map((m) => m.content)).toEqual([
      "Tell me a joke.",
      "Noted.",
      "Second joke.",
      "Third joke.",
    ]);
  });

  it("refuses an edit or a regenerate while a reply is being generated (409), storing nothing", async () => {
    const { user, session, turn } = await chat(undefined);
    const first = await turn({ text: "Question" });
    let release!: () => void;
    standin().once({ reply: "slow", pause: { beforeChunk: 0, until: new Promise<void>((r) => (release = r)) } });
    const running = await startGeneration({ ownerId: user.id, sessionId: session.id, text: "Another" });
    const before = (await storedMessages(session.id)).length;
    await expect(
      startGeneration({ ownerId: user.id, sessionId: session.id, text: "Edited", editOf: first.generation.userMessage!.id }),
    ).rejects.toMatchObject({ status: 409, code: "conflict:generation" });
    await expect(
      startGeneration({ ownerId: user.id, sessionId: session.id, trigger: "regenerate-message" }),
    ).rejects.toMatchObject({ status: 409, code: "conflict:generation" });
    expect(await storedMessages(session.id)).toHaveLength(before);
    release();
    await running.done;
    // An edit of a message that is not a user message of this chat: 404, nothing stored.
    await expect(
      startGeneration({ ownerId: user.id, sessionId: session.id, text: "x", editOf: first.generation.assistantMessageId }),
    ).rejects.toMatchObject({ status: 404, code: "not_found:message" });
  });
});

describe("memory follows the path", () => {
  it("summarizes each branch on its own, never shows one branch's facts on another, and reuses summaries", async () => {
    // N = 2, K = 2: a summary is due as soon as one whole turn is older than the two kept messages.
    const { user, session, turn } = await chat({ threshold: 2, keepRecent: 2 });
    const a1 = await turn({ text: "A1: my pet is a cat named Alfa." });
    expect(a1.memoryOutcome).toBe("not_due");
    standin().answer("summarizer", summarizerBody, { reply: "SUMMARY-A: the pet is Alfa." });
    const a2 = await turn({ text: "A2: Alfa likes fish." });
    expect(a2.memoryOutcome).toBe("summarized");
    const a3 = await turn({ text: "A3: what is my pet called?" });
    expect(seen(a3.request)).toContain("SUMMARY-A");
    expect(seen(a3.request)).not.toContain("A1: my pet");

    // Edit above the summarized point: the new path has no summary yet, and nothing of branch A.
    standin().answer("summarizer", summarizerBody, { reply: "SUMMARY-B: the pet is Bravo." });
    const b1 = await turn({ editOf: a1.generation.userMessage!.id, text: "B1: my pet is a dog named Bravo." });
    expect(seen(b1.request)).not.toMatch(/Alfa|SUMMARY-A/);
    expect((await storedSession(session.id)).summary).toBeNull();
    const b2 = await turn({ text: "B2: Bravo likes bones." });
    expect(b2.memoryOutcome).toBe("summarized");
    const summarizerInputB = standin().requests.filter(isSummarizer).at(-1)!;
    expect(seen(summarizerInputB)).toContain("B1: my pet");
    expect(seen(summarizerInputB)).not.toMatch(/Alfa|SUMMARY-A/);
    const b3 = await turn({ text: "B3: what is my pet called?" });
    expect(seen(b3.request)).toContain("SUMMARY-B");
    expect(seen(b3.request)).not.toMatch(/Alfa|SUMMARY-A|A2|A3/);
    expect((await storedSession(session.id)).summary).toBe("SUMMARY-B: the pet is Bravo.");

    // Back to branch A: its own summary is in use again at once, without summarizing anything.
    const calls = summarizerCalls();
    await selectBranch(user.id, session.id, a1.generation.userMessage!.id);
    expect((await storedSession(session.id)).summary).toBe("SUMMARY-A: the pet is Alfa.");
    standin().answer("summarizer", summarizerBody, { reply: "SUMMARY-A2: Alfa, fish." });
    const a4 = await turn({ text: "A4: and what does it eat?" });
    expect(seen(a4.request)).toContain("SUMMARY-A");
    expect(seen(a4.request)).toContain("A3: what is my pet called?");
    expect(seen(a4.request)).not.toMatch(/Bravo|SUMMARY-B|B1|B2|B3/);
    // The check after A4 may summarize A's newer messages; it builds on SUMMARY-A and reads only branch A.
    const later = standin().requests.filter(isSummarizer).slice(calls);
    expect(later.length).toBeLessThanOrEqual(1);
    for (const request of later) {
      expect(seen(request)).toContain("SUMMARY-A");
      expect(seen(request)).not.toMatch(/Bravo|SUMMARY-B/);
      expect(seen(request)).not.toContain("A1: my pet");
    }

    // And to branch B again: SUMMARY-B, still no re-summarizing for the switch itself.
    const before = summarizerCalls();
    await selectBranch(user.id, session.id, b1.generation.userMessage!.id);
    expect(summarizerCalls()).toBe(before);
    const b4 = await turn({ text: "B4: and its toy?" });
    expect(seen(b4.request)).toContain("SUMMARY-B");
    expect(seen(b4.request)).not.toMatch(/Alfa|SUMMARY-A/);
  });
});
