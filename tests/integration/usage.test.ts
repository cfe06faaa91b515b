import { beforeEach, describe, expect, inject, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { summarizeAfterReply } from "@/lib/chat/engine/memory-hook";
import { startGeneration } from "@/lib/chat/engine/send-message";
import { createChat, deleteChat } from "@/lib/chats/service";
import { deleteAllForOwner } from "@/lib/db/queries/projects";
import { deleteProjectOf, getProjectOf, listProjectsOf } from "@/lib/projects/service";
import { getDb } from "@/lib/db/client";
import { chatUsageTotals, projectUsageTotals } from "@/lib/db/queries/usage";
import { usageEvents } from "@/lib/db/schema";
import { OFFLINE_MODEL_ID } from "@/lib/ai/types";
import type { RecordedRequest } from "@/tests/support/openrouter-standin";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import * as history from "@/app/api/v1/sessions/[id]/history/route";
import * as usageRoute from "@/app/api/v1/usage/route";
import {
  backgroundWorkDone,
  createProjectRow,
  createSessionRow,
  isSummarizer,
  isTitleRequestBody,
  STANDIN_MODEL,
  STANDIN_TITLE,
  standinForFile,
  storedMessages,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";

/**
 * Cost and tokens per reply, chat, project and user (#17 §2): OpenRouter is asked for usage accounting on every
 * call, the cost it reports is stored exactly (numeric, never a float), titles and summaries are charged to their
 * chat, and GET /api/v1/usage groups one user's usage by day, model or project within UTC day bounds.
 */

const standin = standinForFile();
beforeEach(() => {
  standin().setScript({ reply: "Counted.", failure: undefined, usage: undefined, cost: undefined });
  standin().answer("title", isTitleRequestBody, { reply: STANDIN_TITLE });
  standin().answer("summary", undefined);
});

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const send = async (owner: { headers: Record<string, string> }, sessionId: string, message: string) => {
  const response = await chat.POST(
    new Request(`http://localhost/api/v1/sessions/${sessionId}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", ...owner.headers },
      body: JSON.stringify({ message }),
    }),
    params(sessionId),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { usage: { input_tokens: number; output_tokens: number; cost: string | null } };
};
const usage = async (owner: { headers: Record<string, string> }, query: string) =>
  usageRoute.GET(new Request(`http://localhost/api/v1/usage${query}`, { headers: owner.headers }));

interface Report {
  from: string;
  to: string;
  group_by: string;
  totals: { input_tokens: number; output_tokens: number; cost: string; calls: number };
  groups: Array<{ key: string; label: string | null; input_tokens: number; output_tokens: number; cost: string; calls: number }>;
}
const report = async (owner: { headers: Record<string, string> }, query: string) => {
  const response = await usage(owner, query);
  expect(response.status).toBe(200);
  return (await response.json()) as Report;
};

async function seed(rows: Array<typeof usageEvents.$inferInsert>) {
  const db = await getDb();
  await db.insert(usageEvents).values(rows);
}

describe(`usage accounting (${inject("testDatabase").kind})`, () => {
  it("asks OpenRouter for usage, stores the reported cost exactly with the reply, and shows it in REST", async () => {
    const owner = await createTestUser();
    const project = await createProjectRow(owner.user.id);
    const session = await createSessionRow(owner.user.id, project.id);
    standin().once({ reply: "Exact.", usage: { prompt_tokens: 1234, completion_tokens: 567 }, cost: 0.000123456 });
    const answer = await send(owner, session.id, "How much?");
    expect(answer.usage).toEqual({ input_tokens: 1234, output_tokens: 567, cost: "0.000123456" });

    const replyRequest = standin().requests.findLast((r) => r.body.stream === true)!;
    expect(replyRequest.body.usage).toEqual({ include: true });

    const [, reply] = await storedMessages(session.id);
    expect(reply).toMatchObject({ role: "assistant", inputTokens: 1234, outputTokens: 567, cost: "0.000123456" });
    const db = await getDb();
    const events = await db.select().from(usageEvents).where(eq(usageEvents.sessionId, session.id));
    expect(events.filter((e) => e.kind === "reply")).toEqual([
      expect.objectContaining({
        ownerId: owner.user.id,
        projectId: project.id,
        model: STANDIN_MODEL,
        inputTokens: 1234,
        outputTokens: 567,
        cost: "0.000123456",
      }),
    ]);

    const shown = (await (
      await history.GET(
        new Request(`http://localhost/api/v1/sessions/${session.id}/history`, { headers: owner.headers }),
        params(session.id),
      )
    ).json()) as Array<{ role: string; usage: unknown }>;
    expect(shown.find((m) => m.role === "assistant")?.usage).toEqual({
      input_tokens: 1234,
      output_tokens: 567,
      cost: "0.000123456",
    });
  });

  it("sums costs exactly: 0.1 + 0.2 is 0.3, and a thousand calls of $0.000123456 are $0.123456", async () => {
    const owner = await createTestUser();
    const project = await createProjectRow(owner.user.id);
    const session = await createSessionRow(owner.user.id, project.id);
    standin().once({ cost: 0.1 });
    await send(owner, session.id, "one");
    standin().once({ cost: 0.2 });
    await send(owner, session.id, "two");
    // A float sum would say 0.30000000000000004.
    expect((await chatUsageTotals(owner.user.id, session.id)).cost).toBe("0.3");

    const other = await createSessionRow(owner.user.id, project.id);
    const base = { ownerId: owner.user.id, sessionId: other.id, projectId: project.id, kind: "reply" as const, model: "m" };
    await seed(Array.from({ length: 1000 }, () => ({ ...base, inputTokens: 10, outputTokens: 1, cost: "0.000123456" })));
    expect(await chatUsageTotals(owner.user.id, other.id)).toEqual({
      inputTokens: 10_000,
      outputTokens: 1000,
      cost: "0.123456",
      calls: 1000,
    });
    expect((await projectUsageTotals(owner.user.id, project.id)).cost).toBe("0.423456");
    // The project's REST view (and the dashboard card) carries the same exact total.
    expect((await getProjectOf(owner.user.id, project.id)).cost).toBe("0.423456");
    expect((await listProjectsOf(owner.user.id, {})).items.map((p) => p.cost)).toEqual(["0.423456"]);
    expect((await report(owner, "")).totals.cost).toBe("0.423456");
  });

  it("charges the title and the summary calls to their chat", async () => {
    const owner = await createTestUser();
    const project = await createProjectRow(owner.user.id, { memoryEnabled: true, memoryThreshold: 2, memoryKeepRecent: 2 });
    // Through the service: a chat with the default title, so its first reply is followed by a title call.
    const session = await createChat(owner.user.id, { projectId: project.id, model: STANDIN_MODEL });
    standin().answer("title", isTitleRequestBody, {
      reply: STANDIN_TITLE,
      usage: { prompt_tokens: 50, completion_tokens: 5 },
      cost: 0.00001,
    });
    standin().answer("summary", (body) => isSummarizer({ body } as RecordedRequest), {
      reply: "What was said.",
      usage: { prompt_tokens: 300, completion_tokens: 20 },
      cost: 0.0002,
    });
    standin().setScript({ reply: "Noted.", usage: { prompt_tokens: 100, completion_tokens: 10 }, cost: 0.001 });
    await send(owner, session.id, "First.");
    await backgroundWorkDone();
    // The next turns as the route runs them, the after-reply memory check awaited, until a summary is made.
    let summarized = false;
    for (let i = 0; i < 6 && !summarized; i++) {
      const generation = await startGeneration({ ownerId: owner.user.id, sessionId: session.id, text: `Turn ${i}.` });
      await generation.done;
      summarized = (await summarizeAfterReply(owner.user.id, generation)) === "summarized";
    }
    expect(summarized).toBe(true);
    await backgroundWorkDone();

    const db = await getDb();
    const events = await db.select().from(usageEvents).where(eq(usageEvents.sessionId, session.id));
    const title = events.filter((e) => e.kind === "title");
    const summaries = events.filter((e) => e.kind === "summary");
    const replies = events.filter((e) => e.kind === "reply");
    expect(title).toEqual([
      expect.objectContaining({ projectId: project.id, inputTokens: 50, outputTokens: 5, cost: "0.00001", model: STANDIN_MODEL }),
    ]);
    expect(summaries.length).toBeGreaterThan(0);
    for (const s of summaries)
      expect(s).toMatchObject({ projectId: project.id, inputTokens: 300, outputTokens: 20, cost: "0.0002" });

    const totals = await chatUsageTotals(owner.user.id, session.id);
    expect(totals.calls).toBe(events.length);
    expect(totals.cost).toBe(
      // Exact decimal arithmetic in integer units of 1e-5 dollars: replies 100, title 1, summaries 20 each.
      String((replies.length * 100 + 1 + summaries.length * 20) / 100_000),
    );
    expect(totals.inputTokens).toBe(replies.reduce((n, e) => n + (e.inputTokens ?? 0), 0) + 50 + summaries.length * 300);
  });

  it("groups by day, model and project within inclusive UTC day bounds; checks the range", async () => {
    const owner = await createTestUser();
    const alpha = await createProjectRow(owner.user.id);
    const beta = await createProjectRow(owner.user.id);
    const a = await createSessionRow(owner.user.id, alpha.id);
    const b = await createSessionRow(owner.user.id, beta.id);
    const row = (session: { id: string; projectId: string }, at: string, model: string, cost: string | null, tokens = 10) => ({
      ownerId: owner.user.id,
      sessionId: session.id,
      projectId: session.projectId,
      kind: "reply" as const,
      model,
      inputTokens: tokens,
      outputTokens: 1,
      cost,
      createdAt: new Date(at),
    });
    await seed([
      row(a, "2026-03-31T23:59:59.999Z", "x/m1", "5"), // the day before the range
      row(a, "2026-04-01T00:00:00.000Z", "x/m1", "0.001"), // first instant of the range
      row(a, "2026-04-01T12:00:00.000Z", "x/m2", "0.002"),
      row(b, "2026-04-02T08:00:00.000Z", "x/m1", null, 20), // a local model: no cost
      row(b, "2026-04-03T23:59:59.999Z", "x/m2", "0.0005"), // last instant of the range
      row(b, "2026-04-04T00:00:00.000Z", "x/m2", "7"), // the day after
    ]);
    const range = "?from=2026-04-01&to=2026-04-03";

    const byDay = await report(owner, `${range}&group_by=day`);
    expect(byDay).toMatchObject({ from: "2026-04-01", to: "2026-04-03", group_by: "day" });
    expect(byDay.totals).toEqual({ input_tokens: 50, output_tokens: 4, cost: "0.0035", calls: 4 });
    expect(byDay.groups.map((g) => [g.key, g.cost, g.calls])).toEqual([
      ["2026-04-01", "0.003", 2],
      ["2026-04-02", "0", 1],
      ["2026-04-03", "0.0005", 1],
    ]);

    const byModel = await report(owner, `${range}&group_by=model`);
    expect(byModel.groups.map((g) => [g.key, g.cost, g.input_tokens])).toEqual([
      ["x/m2", "0.0025", 20],
      ["x/m1", "0.001", 30],
    ]);

    const byProject = await report(owner, `${range}&group_by=project`);
    expect(byProject.groups.map((g) => [g.key, g.label, g.cost])).toEqual([
      [alpha.id, alpha.name, "0.003"],
      [beta.id, beta.name, "0.0005"],
    ]);

    // One day: both bounds the same day.
    expect((await report(owner, "?from=2026-04-04&to=2026-04-04")).totals.cost).toBe("7");

    for (const bad of [
      "?from=2026-04-05&to=2026-04-01",
      "?from=2024-01-01&to=2026-04-01",
      "?from=2026-02-31",
      "?to=yesterday",
      "?group_by=week",
    ]) {
      const response = await usage(owner, bad);
      expect(response.status, bad).toBe(422);
      expect((await response.json()).code).toBe("validation:query");
    }
    expect((await usageRoute.GET(new Request("http://localhost/api/v1/usage"))).status).toBe(401);
  });

  it("never shows another user's usage", async () => {
    const owner = await createTestUser();
    const stranger = await createTestUser();
    const project = await createProjectRow(owner.user.id);
    const session = await createSessionRow(owner.user.id, project.id);
    standin().once({ cost: 0.5 });
    await send(owner, session.id, "Mine.");
    const today = new Date().toISOString().slice(0, 10);
    for (const group of ["day", "model", "project"]) {
      const mine = await report(owner, `?from=${today}&to=${today}&group_by=${group}`);
      expect(mine.totals.cost).toBe("0.5");
      const theirs = await report(stranger, `?from=${today}&to=${today}&group_by=${group}`);
      expect(theirs.totals).toEqual({ input_tokens: 0, output_tokens: 0, cost: "0", calls: 0 });
      expect(theirs.groups).toEqual([]);
    }
    // Neither the chat nor the project totals answer for an id that is not the caller's.
    expect((await chatUsageTotals(stranger.user.id, session.id)).calls).toBe(0);
    expect((await projectUsageTotals(stranger.user.id, project.id)).calls).toBe(0);

    // Deleting the chat, then the project, keeps what they cost in the user's totals (only unlinked)...
    await deleteChat(owner.user.id, session.id);
    const byProject = async () =>
      (await report(owner, `?from=${today}&to=${today}&group_by=project`)).groups.map((g) => [g.key, g.label, g.cost]);
    expect(await byProject()).toEqual([[project.id, project.name, "0.5"]]);
    await deleteProjectOf(owner.user.id, project.id);
    expect(await byProject()).toEqual([[null, null, "0.5"]]);
    // ...and deleting the account deletes them.
    await deleteAllForOwner(owner.user.id);
    const db = await getDb();
    expect(await db.select().from(usageEvents).where(eq(usageEvents.ownerId, owner.user.id))).toEqual([]);
  });

  it("the offline model reports no cost: stored null, summed as 0 (shown as free)", async () => {
    const owner = await createTestUser();
    const project = await createProjectRow(owner.user.id);
    const session = await createChat(owner.user.id, { projectId: project.id, model: OFFLINE_MODEL_ID });
    const answer = await send(owner, session.id, "Hello offline");
    expect(answer.usage.cost).toBeNull();
    const [, reply] = await storedMessages(session.id);
    expect(reply!.cost).toBeNull();
    await backgroundWorkDone();
    // The reply, and its title (the offline model titles too): neither cost anything.
    const db = await getDb();
    const events = await db.select().from(usageEvents).where(eq(usageEvents.sessionId, session.id));
    expect(events.map((e) => [e.kind, e.model, e.cost]).sort()).toEqual([
      ["reply", OFFLINE_MODEL_ID, null],
      ["title", OFFLINE_MODEL_ID, null],
    ]);
    const totals = await chatUsageTotals(owner.user.id, session.id);
    expect(totals).toMatchObject({ cost: "0", calls: 2 });
  });
});
