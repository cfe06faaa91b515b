import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { messageSummaries, projects, type MessageRow } from "@/lib/db/schema";
import { createSession } from "@/lib/db/queries/sessions";
import { appendMessage, readPathContext } from "@/lib/db/queries/messages";

// readPathContext reads a range of sequence numbers and walks it in memory, and walks the tree in SQL when the
// path leaves that range (lib/db/queries/messages.ts). Both ways must give the path and only the path.

async function chatOf(ownerId: string) {
  const db = await getDb();
  const [project] = await db.insert(projects).values({ ownerId, name: "P" }).returning();
  return (await createSession(ownerId, { projectId: project.id, title: "t", model: "offline" }))!;
}

/** Appends `count` messages after `parent` (null: the root), each the parent of the next; returns them. */
async function chain(ownerId: string, sessionId: string, parent: MessageRow | null, count: number, label: string) {
  const made: MessageRow[] = [];
  let last = parent;
  for (let i = 1; i <= count; i++) {
    last = (await appendMessage(ownerId, sessionId, {
      role: i % 2 ? "user" : "assistant",
      content: `${label}${i}`,
      parentId: last?.id ?? null,
    }))!;
    made.push(last);
  }
  return made;
}

async function summarize(ownerId: string, sessionId: string, through: MessageRow, text: string) {
  const db = await getDb();
  await db
    .insert(messageSummaries)
    .values({ throughMessageId: through.id, ownerId, sessionId, summary: text, throughSeq: through.seq, coveredMessages: 2 });
}

const contents = (path: { messages: MessageRow[] }) => path.messages.map((m) => m.content);

describe("reading a path of the message tree", () => {
  it("reads each branch's own messages and summary, also when a deeper summary lies on another branch", async () => {
    const owner = randomUUID();
    const chat = await chatOf(owner);
    // a1..a8 (seq 1–8), then b1–b2 forked after a4 (seq 9–10): branch B's path is a1–a4, b1, b2.
    const a = await chain(owner, chat.id, null, 8, "a");
    const b = await chain(owner, chat.id, a[3]!, 2, "b");
    const read = (leaf: MessageRow, withSummary: boolean) => readPathContext(owner, chat.id, { leafId: leaf.id, withSummary });

    // No summary: the whole path, the other branch left out.
    expect(contents(await read(b[1]!, true))).toEqual(["a1", "a2", "a3", "a4", "b1", "b2"]);
    expect(contents(await read(a[7]!, true))).toEqual(["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"]);

    // A summary through a6 (branch A only): A uses it; B, whose range from it (seq 6–10) misses a1–a4, is
    // read by the walk in SQL and gets no summary at all.
    await summarize(owner, chat.id, a[5]!, "summary of A through a6");
    const onA = await read(a[7]!, true);
    expect(onA.summary).toMatchObject({ text: "summary of A through a6", throughMessageId: a[5]!.id, throughSeq: 6 });
    expect(contents(onA)).toEqual(["a7", "a8"]);
    const onB = await read(b[1]!, true);
    expect(onB.summary).toBeNull();
    expect(contents(onB)).toEqual(["a1", "a2", "a3", "a4", "b1", "b2"]);
    expect(onB.leafId).toBe(b[1]!.id);

    // A summary through a2 (on both paths): B uses it, still past A's deeper one.
    await summarize(owner, chat.id, a[1]!, "summary through a2");
    const onBNow = await read(b[1]!, true);
    expect(onBNow.summary?.text).toBe("summary through a2");
    expect(contents(onBNow)).toEqual(["a3", "a4", "b1", "b2"]);
    // Without memory: every message of the path.
    expect(contents(await read(b[1]!, false))).toEqual(["a1", "a2", "a3", "a4", "b1", "b2"]);
    expect((await read(b[1]!, false)).summary).toBeNull();
  });

  it("reads the active path by default, and nothing of another user's chat", async () => {
    const owner = randomUUID();
    const chat = await chatOf(owner);
    const a = await chain(owner, chat.id, null, 4, "a");
    await chain(owner, chat.id, a[1]!, 1, "b"); // a sibling of a3; the active leaf stays a4
    expect(contents(await readPathContext(owner, chat.id, { withSummary: true }))).toEqual(["a1", "a2", "a3", "a4"]);
    expect(await readPathContext(randomUUID(), chat.id, { withSummary: true })).toEqual({
      leafId: undefined,
      summary: null,
      messages: [],
    });
    expect(contents(await readPathContext(randomUUID(), chat.id, { leafId: a[3]!.id, withSummary: false }))).toEqual([]);
  });
});
