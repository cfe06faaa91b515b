import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { projects } from "@/lib/db/schema";
import { createSession } from "@/lib/db/queries/sessions";
import { commitSummary } from "@/lib/db/queries/memory";
import { appendMessage } from "@/lib/db/queries/messages";
import { GET } from "@/app/api/v1/sessions/[id]/memory/route";
import { createTestUser } from "../support/auth";

const call = (id: string, headers: Record<string, string> = {}) =>
  GET(new Request(`http://localhost/api/v1/sessions/${id}/memory`, { headers }), { params: Promise.resolve({ id }) });

describe("GET /api/v1/sessions/{id}/memory", () => {
  it("shows the owner the memory state, and no one else", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const db = await getDb();
    const [project] = await db.insert(projects).values({ ownerId: owner.user.id, name: "P" }).returning();
    const session = (await createSession(owner.user.id, { projectId: project.id, title: "t", model: "offline" }))!;

    const empty = await call(session.id, owner.headers);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({
      summary: null,
      covers_through: 0,
      covered_messages: 0,
      status: "none",
      updated_at: null,
      last_error: null,
    });

    let last;
    for (let i = 0; i < 4; i++)
      last = await appendMessage(owner.user.id, session.id, { role: i % 2 ? "assistant" : "user", content: `m${i}` });
    expect(
      await commitSummary(owner.user.id, session.id, {
        summary: "They met.",
        throughMessageId: last!.id,
        throughSeq: 4,
        coveredMessages: 4,
      }),
    ).toBe(true);
    const filled = await (await call(session.id, owner.headers)).json();
    expect(filled).toMatchObject({ summary: "They met.", covers_through: 4, covered_messages: 4 });
    expect(new Date(filled.updated_at).toISOString()).toBe(filled.updated_at);

    const foreign = await call(session.id, other.headers);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ detail: "Session not found", code: "not_found:session" });
    expect((await call(session.id)).status).toBe(401);
    expect((await call("not-a-uuid", owner.headers)).status).toBe(404);
    expect((await call(session.id, { authorization: "Bearer forged.token.here" })).status).toBe(401);
  });
});
