import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { projects } from "@/lib/db/schema";
import {
  acquireGeneration,
  createSession,
  deleteSession,
  getSession,
  getSessionWithProject,
  listSessions,
  releaseGeneration,
  updateSession,
} from "@/lib/db/queries/sessions";
import type { KeysetCursor } from "@/lib/db/queries/keyset";
import { appendMessage, getActiveLeaf, listActivePath, listMessagesPage } from "@/lib/db/queries/messages";
import { claimLeaseAndAppendUserMessage } from "@/lib/db/queries/turns";

async function projectOf(ownerId: string) {
  const db = await getDb();
  const [project] = await db.insert(projects).values({ ownerId, name: "P" }).returning();
  return project;
}

describe("sessions and messages data access", () => {
  it("creates sessions only in the caller's projects and hides them from everyone else", async () => {
    const owner = randomUUID();
    const other = randomUUID();
    const project = await projectOf(owner);
    expect(await createSession(other, { projectId: project.id, title: "x", model: "offline" })).toBeUndefined();
    const session = await createSession(owner, { projectId: project.id, title: "My exact title", model: "offline" });
    expect(session?.title).toBe("My exact title");
    expect(await getSession(other, session!.id)).toBeUndefined();
    expect(await getSessionWithProject(other, session!.id)).toBeUndefined();
    expect((await getSessionWithProject(owner, session!.id))?.project.id).toBe(project.id);
    expect(await updateSession(other, session!.id, { title: "hijack" })).toBeUndefined();
    expect(await deleteSession(other, session!.id)).toBe(false);
    expect((await listSessions(other, { limit: 50 })).rows).toHaveLength(0);
    expect((await getSession(owner, session!.id))?.title).toBe("My exact title");
    expect(await appendMessage(other, session!.id, { role: "user", content: "sneaky" })).toBeUndefined();
    // With a message in the session, an empty answer for the stranger proves the owner filter, not an empty table.
    expect(await appendMessage(owner, session!.id, { role: "user", content: "mine" })).toBeDefined();
    expect(await listMessagesPage(other, session!.id, { limit: 10 })).toBeUndefined();
    expect(await listActivePath(other, session!.id)).toEqual([]);
    expect((await listActivePath(owner, session!.id)).map((m) => m.content)).toEqual(["mine"]);
  });

  it("lists sessions most recently active first, page by page without gaps or repeats", async () => {
    const owner = randomUUID();
    const project = await projectOf(owner);
    const created = [];
    for (let i = 0; i < 7; i++)
      created.push(await createSession(owner, { projectId: project.id, title: `s${i}`, model: "offline" }));
    // Activity moves a session to the top.
    await appendMessage(owner, created[2]!.id, { role: "user", content: "hi" });
    const seen: string[] = [];
    let cursor: KeysetCursor | undefined;
    do {
      const page = await listSessions(owner, { projectId: project.id, limit: 3, cursor });
      seen.push(...page.rows.map((r) => r.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen[0]).toBe("s2");
  });

  it("numbers concurrent messages without duplicates and pages history backwards", async () => {
    const owner = randomUUID();
    const project = await projectOf(owner);
    const session = (await createSession(owner, { projectId: project.id, title: "t", model: "offline" }))!;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendMessage(owner, session.id, { role: i % 2 ? "assistant" : "user", content: `m${i}` }),
      ),
    );
    const all = await listActivePath(owner, session.id);
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await getSession(owner, session.id))?.messageCount).toBe(20);

    const newest = await listMessagesPage(owner, session.id, { limit: 8 });
    expect(newest?.rows.map((m) => m.seq)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(newest?.hasMore).toBe(true);
    const older = await listMessagesPage(owner, session.id, { beforeId: newest!.rows[0].id, limit: 100 });
    expect(older?.rows.map((m) => m.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(older?.hasMore).toBe(false);

    const last = await getActiveLeaf(owner, session.id);
    expect(last?.seq).toBe(20);
    expect(await getActiveLeaf(randomUUID(), session.id)).toBeUndefined();
  });

  it("starts a turn in one statement: lease, next seq, the user message and project activity, or nothing at all", async () => {
    const owner = randomUUID();
    const project = await projectOf(owner);
    const session = (await createSession(owner, { projectId: project.id, title: "t", model: "offline" }))!;
    await appendMessage(owner, session.id, { role: "user", content: "earlier" });
    const before = (await getSessionWithProject(owner, session.id))!;
    const id = randomUUID();
    const first = await claimLeaseAndAppendUserMessage(owner, session.id, {
      generationId: randomUUID(),
      leaseMs: 60_000,
      id,
      content: "Hello there",
    });
    expect(first).toMatchObject({
      id,
      sessionId: session.id,
      seq: 2,
      role: "user",
      content: "Hello there",
      status: "complete",
      parts: [{ type: "text", text: "Hello there" }],
    });
    const stored = await getActiveLeaf(owner, session.id);
    expect(stored).toEqual(first);
    const after = (await getSessionWithProject(owner, session.id))!;
    expect(after.session).toMatchObject({ lastSeq: 2, messageCount: 2 });
    expect(after.session.generationId).not.toBeNull();
    expect(after.session.generationExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(after.project.lastActivityAt.getTime()).toBeGreaterThanOrEqual(before.project.lastActivityAt.getTime());
    expect(after.session.lastActivityAt.getTime()).toBeGreaterThanOrEqual(before.session.lastActivityAt.getTime());
    // Held: a second claim writes nothing; another owner writes nothing either.
    expect(
      await claimLeaseAndAppendUserMessage(owner, session.id, { generationId: randomUUID(), leaseMs: 60_000, content: "again" }),
    ).toBeUndefined();
    await releaseGeneration(owner, session.id, after.session.generationId!);
    expect(
      await claimLeaseAndAppendUserMessage(randomUUID(), session.id, {
        generationId: randomUUID(),
        leaseMs: 60_000,
        content: "sneaky",
      }),
    ).toBeUndefined();
    expect((await listActivePath(owner, session.id)).map((m) => m.content)).toEqual(["earlier", "Hello there"]);
    expect(await getSession(owner, session.id)).toMatchObject({ lastSeq: 2, messageCount: 2, generationId: null });
    // Free again: the next turn gets the next number.
    expect(
      (await claimLeaseAndAppendUserMessage(owner, session.id, { generationId: randomUUID(), leaseMs: 60_000, content: "next" }))
        ?.seq,
    ).toBe(3);
  });

  it("lets one generation at a time hold a session, and an expired lease be taken over", async () => {
    const owner = randomUUID();
    const project = await projectOf(owner);
    const session = (await createSession(owner, { projectId: project.id, title: "t", model: "offline" }))!;
    const [a, b] = [randomUUID(), randomUUID()];
    const raced = await Promise.all([
      acquireGeneration(owner, session.id, a, 60_000),
      acquireGeneration(owner, session.id, b, 60_000),
    ]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    const [holder, loser] = raced[0] ? [a, b] : [b, a];
    await releaseGeneration(owner, session.id, loser); // not the holder's claim: no effect
    expect(await acquireGeneration(owner, session.id, loser, 60_000)).toBe(false);
    await releaseGeneration(randomUUID(), session.id, holder); // another user: no effect
    expect(await acquireGeneration(owner, session.id, loser, 60_000)).toBe(false);
    await releaseGeneration(owner, session.id, holder);
    expect(await acquireGeneration(owner, session.id, loser, 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The loser's 1 ms lease lapsed (its process "died"): the next send may take over.
    expect(await acquireGeneration(owner, session.id, randomUUID(), 60_000)).toBe(true);
  });
});
