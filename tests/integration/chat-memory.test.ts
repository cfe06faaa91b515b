import { beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import { MEMORY_SECTION_START } from "@/lib/memory/prompt";
import {
  contentText,
  createProjectRow,
  createSessionRow,
  isSummarizer,
  storedSession,
  systemOf,
  standinForFile,
  waitFor,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";

const standin = standinForFile();
beforeAll(() => standin().setScript({ reply: "Noted: the user drinks tea at 5 pm." }));

describe("chat with memory (the check scheduled after each stored reply)", () => {
  it("with N = 6, K = 2: summarizes in the background, then sends the summary and only the later turns", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id, { systemPrompt: "Be brief.", memoryThreshold: 6, memoryKeepRecent: 2 });
    const session = await createSessionRow(user.id, project.id);
    const send = async (message: string) => {
      const response = await chat.POST(
        new Request(`http://localhost/api/v1/sessions/${session.id}/chat`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ message }),
        }),
        { params: Promise.resolve({ id: session.id }) },
      );
      expect(response.status).toBe(200);
    };
    for (let turn = 1; turn <= 4; turn++) await send(`Turn ${turn} question`);
    // 8 messages, K = 2 kept: 6 uncovered reach N, so the reply of turn 4 scheduled a summary of seq 1–6.
    const summarized = await waitFor(async () => {
      const row = await storedSession(session.id);
      return row.summaryThroughSeq > 0 ? row : undefined;
    });
    expect(summarized.summaryThroughSeq).toBe(6);
    expect(summarized.summary).toBe("Noted: the user drinks tea at 5 pm.");
    const summarizerCall = standin().requests.find(isSummarizer)!;
    const asked = contentText(summarizerCall.body.messages?.find((m) => m.role === "user")?.content);
    for (const n of [1, 2, 3]) expect(asked).toContain(`Turn ${n} question`);
    expect(asked).not.toContain("Turn 4 question");

    await send("Turn 5 question");
    const last = standin()
      .requests.filter((r) => !isSummarizer(r))
      .at(-1)!;
    expect(systemOf(last)).toContain("Be brief.");
    expect(systemOf(last)).toContain(MEMORY_SECTION_START);
    expect(systemOf(last)).toContain("Noted: the user drinks tea at 5 pm.");
    expect(last.body.messages!.filter((m) => m.role !== "system").map((m) => [m.role, contentText(m.content)])).toEqual([
      ["user", "Turn 4 question"],
      ["assistant", "Noted: the user drinks tea at 5 pm."],
      ["user", "Turn 5 question"],
    ]);
  });

  it("memory off: the full history is sent and no summarizer call is made", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id, { memoryEnabled: false, memoryThreshold: 2, memoryKeepRecent: 0 });
    const session = await createSessionRow(user.id, project.id);
    const before = standin().requests.length;
    for (let turn = 1; turn <= 4; turn++) {
      await chat.POST(
        new Request(`http://localhost/api/v1/sessions/${session.id}/chat`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ message: `Q${turn}` }),
        }),
        { params: Promise.resolve({ id: session.id }) },
      );
    }
    await new Promise((r) => setTimeout(r, 200));
    const mine = standin().requests.slice(before);
    expect(mine.some(isSummarizer)).toBe(false);
    expect(mine.at(-1)!.body.messages!.length).toBe(7);
  });
});
