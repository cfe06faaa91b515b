import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { resetConfigForTests } from "@/lib/config/env";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { getDb } from "@/lib/db/client";
import { appendMessage, selectBranch } from "@/lib/db/queries/messages";
import { chatSessions, messages, projects } from "@/lib/db/schema";
import { parleyExportSchema } from "@/lib/transfer/format";
import { createTestUser } from "../support/auth";
import { createProjectRow, STANDIN_MODEL, useStandin } from "../support/chat-fixtures";
import type { OpenRouterStandin } from "../support/openrouter-standin";
import { snapshotOf } from "../support/security-routes";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as accountExport from "@/app/api/v1/export/route";
import * as importRoute from "@/app/api/v1/import/route";
import * as chatExport from "@/app/api/v1/sessions/[id]/export/route";

/**
 * Export and import (#14 §5) through the real route handlers and the real database: one chat as Markdown and
 * JSON, the account round trip, ChatGPT's conversations.json from a hand-written fixture, bad files (nothing
 * imported, the error names the place), the size limit, and a fuzz of the import body.
 */

const FIXTURE = readFileSync(path.join(import.meta.dirname, "../fixtures/chatgpt-conversations.json"), "utf8");

let standin: OpenRouterStandin;
beforeAll(async () => {
  standin = await useStandin();
});
afterAll(() => standin.close());

type User = Awaited<ReturnType<typeof createTestUser>>;

const exportAll = (user: User) => accountExport.GET(new Request("http://localhost/api/v1/export", { headers: user.headers }));
const exportChat = (user: User, id: string, query = "") =>
  chatExport.GET(new Request(`http://localhost/api/v1/sessions/${id}/export${query}`, { headers: user.headers }), {
    params: Promise.resolve({ id }),
  });
const importFile = (user: User, body: string | ReadableStream<Uint8Array>, query = "", headers: Record<string, string> = {}) =>
  importRoute.POST(
    new Request(`http://localhost/api/v1/import${query}`, {
      method: "POST",
      headers: { ...user.headers, "content-type": "application/json", ...headers },
      body,
      ...(typeof body === "string" ? {} : { duplex: "half" }),
    } as RequestInit),
  );

async function countsOf(ownerId: string) {
  const snap = await snapshotOf(ownerId);
  return { projects: snap.projects.length, chats: snap.sessions.length, messages: snap.messages.length };
}

/** A user with two projects (settings, prompts), chats with usage, reasoning, a stopped reply, a seq gap and a summary. */
async function seedAccount() {
  const owner = await createTestUser("Exporter");
  const db = await getDb();
  const research = await createProjectRow(owner.user.id, {
    systemPrompt: "You are a careful research assistant.",
    memoryEnabled: true,
    memoryThreshold: 8,
    memoryKeepRecent: 2,
    defaultModel: STANDIN_MODEL,
  });
  await db.update(projects).set({ name: "Research", description: "Papers & notes" }).where(eq(projects.id, research.id));
  const [empty] = await db
    .insert(projects)
    .values({ ownerId: owner.user.id, name: "Empty one", memoryEnabled: false })
    .returning();
  const [chat] = await db
    .insert(chatSessions)
    .values({ ownerId: owner.user.id, projectId: research.id, model: STANDIN_MODEL, title: "Ünïcode & <b>tags</b> 🙂" })
    .returning();
  const add = (m: Parameters<typeof appendMessage>[2]) => appendMessage(owner.user.id, chat!.id, m);
  await add({ role: "user", content: "What is a keyset?" });
  await add({
    role: "assistant",
    content: "An ordered **key**.",
    parts: [
      { type: "reasoning", text: "They ask about pagination." },
      { type: "text", text: "An ordered **key**." },
    ],
    model: STANDIN_MODEL,
    inputTokens: 12,
    outputTokens: 5,
  });
  const question = await add({ role: "user", content: "And offsets?" });
  // A regenerated reply: the first try stays as another version, off the active path the export carries, so the
  // path has a gap in seq (4 is on the other branch).
  await add({ role: "assistant", content: "first try", model: STANDIN_MODEL });
  // An exact cost as the provider reported it: the round trip keeps every digit.
  const chosen = await add({
    parentId: question!.id,
    role: "assistant",
    content: "Offsets get slow.",
    model: STANDIN_MODEL,
    inputTokens: 30,
    outputTokens: 4,
    cost: "0.000123456",
  });
  await selectBranch(owner.user.id, chat!.id, chosen!.id);
  await add({ role: "user", content: "Stop me" });
  await add({ role: "assistant", content: "Half an ans", status: "incomplete", model: STANDIN_MODEL });
  await db
    .update(chatSessions)
    .set({
      summary: "They discussed keyset pagination.",
      summaryThroughSeq: 3,
      summaryCoveredMessages: 3,
      summaryStatus: "ready",
      summaryUpdatedAt: new Date("2026-01-02T03:04:05.678Z"),
      // Named, pinned and archived by its owner: the export carries all three.
      titleSetByUser: true,
      pinnedAt: new Date("2026-01-03T01:02:03.456Z"),
      archivedAt: new Date("2026-01-04T01:02:03.456Z"),
      lastInputTokens: 30,
    })
    .where(eq(chatSessions.id, chat!.id));
  const [second] = await db
    .insert(chatSessions)
    .values({ ownerId: owner.user.id, projectId: research.id, model: "offline", title: "Second" })
    .returning();
  await appendMessage(owner.user.id, second!.id, { role: "user", content: "Only a question" });
  return { owner, research, empty: empty!, chat: chat!, second: second! };
}

/** The content a round trip must keep: everything but ids and the export's own time, in a canonical order. */
function comparable(document: unknown) {
  const file = parleyExportSchema.parse(document);
  const strip = <T extends { id?: string }>({ id: _id, ...rest }: T) => rest;
  return file.projects
    .map((p) => ({
      ...strip(p),
      chats: p.chats
        .map((c) => ({ ...strip(c), messages: c.messages.map(strip) }))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.title.localeCompare(b.title)),
    }))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.name.localeCompare(b.name));
}

describe(`export and import (${inject("testDatabase").kind})`, () => {
  it("exports one chat as Markdown and as JSON, with a safe file name; another user's chat is a 404", async () => {
    const { owner, chat } = await seedAccount();
    const md = await exportChat(owner, chat.id, "?format=markdown");
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(md.headers.get("content-disposition")).toMatch(/^attachment; filename="parley-unicode-btagsb-\d{4}-\d\d-\d\d\.md"$/);
    const text = await md.text();
    expect(text).toContain("# Ünïcode & <b>tags</b> 🙂");
    expect(text).toContain(`### Assistant (${STANDIN_MODEL})`);
    expect(text).toContain("An ordered **key**.");
    expect(text).toContain("Half an ans");
    expect(text).toContain("stopped before the end");
    expect(text).not.toContain("first try");
    // Oldest first.
    expect(text.indexOf("What is a keyset?")).toBeLessThan(text.indexOf("Offsets get slow."));

    const js = await exportChat(owner, chat.id, "?format=json");
    expect(js.headers.get("content-disposition")).toMatch(/\.json"$/);
    const doc = parleyExportSchema.parse(await js.json());
    expect(doc.projects).toHaveLength(1);
    expect(doc.projects[0]!.chats).toHaveLength(1);
    expect(doc.projects[0]!.chats[0]!.messages.map((m) => m.seq)).toEqual([1, 2, 3, 5, 6, 7]);

    expect((await exportChat(owner, chat.id, "?format=pdf")).status).toBe(422);
    const stranger = await createTestUser("Stranger");
    const refused = await exportChat(stranger, chat.id);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: "not_found:session" });
  });

  it("round trip: export → import into a new account → export gives the same content (ids and exported_at aside)", async () => {
    const { owner } = await seedAccount();
    const first = await exportAll(owner);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-disposition")).toMatch(/^attachment; filename="parley-export-\d{4}-\d\d-\d\d\.json"$/);
    const firstText = await first.text();
    const firstDoc = JSON.parse(firstText) as unknown;
    expect(firstDoc).toMatchObject({ format: "parley-export", version: 1 });

    const newcomer = await createTestUser("Importer");
    const imported = await importFile(newcomer, firstText);
    expect(imported.status).toBe(201);
    expect(await imported.json()).toMatchObject({ format: "parley", projects: 2, chats: 2, messages: 7, skipped: 0 });

    const again = JSON.parse(await (await exportAll(newcomer)).text()) as unknown;
    expect(comparable(again)).toEqual(comparable(firstDoc));
    // And the ids really are new ones.
    const ids = (doc: unknown) => parleyExportSchema.parse(doc).projects.map((p) => p.id);
    expect(ids(again).some((id) => ids(firstDoc).includes(id))).toBe(false);
  });

  it("an imported chat continues its numbering and keeps its summary consistent with seq", async () => {
    const { owner } = await seedAccount();
    const newcomer = await createTestUser("Continuer");
    expect((await importFile(newcomer, await (await exportAll(owner)).text())).status).toBe(201);
    const db = await getDb();
    const [chat] = await db
      .select()
      .from(chatSessions)
      .where(sql`${chatSessions.ownerId} = ${newcomer.user.id} and ${chatSessions.title} like 'Ünïcode%'`);
    expect(chat).toMatchObject({
      lastSeq: 7,
      messageCount: 6,
      summary: "They discussed keyset pagination.",
      summaryThroughSeq: 3,
      summaryCoveredMessages: 3,
      summaryStatus: "ready",
      generationId: null,
      titleSetByUser: true,
      pinnedAt: new Date("2026-01-03T01:02:03.456Z"),
      archivedAt: new Date("2026-01-04T01:02:03.456Z"),
    });
    const next = await appendMessage(newcomer.user.id, chat!.id, { role: "user", content: "Continue" });
    expect(next?.seq).toBe(8);
  });

  it("imports ChatGPT's conversations.json: the current branch, user and assistant text, titles and times", async () => {
    const user = await createTestUser("From ChatGPT");
    const project = await createProjectRow(user.user.id);
    const response = await importFile(user, FIXTURE, `?project_id=${project.id}`);
    const result = await response.json();
    expect(response.status, JSON.stringify(result)).toBe(201);
    expect(result).toEqual({ format: "chatgpt", project_ids: [project.id], projects: 0, chats: 2, messages: 6, skipped: 1 });

    const db = await getDb();
    const chats = await db.select().from(chatSessions).where(eq(chatSessions.projectId, project.id));
    const sourdough = chats.find((c) => c.title === "Sourdough starter help")!;
    expect(sourdough).toBeDefined();
    expect(sourdough.createdAt.toISOString()).toBe("2024-05-01T10:00:00.123Z");
    expect(sourdough.lastActivityAt.toISOString()).toBe("2024-05-01T10:15:00.500Z");
    expect(sourdough.model).toBe(STANDIN_MODEL);
    const rows = await db.select().from(messages).where(eq(messages.sessionId, sourdough.id)).orderBy(messages.seq);
    expect(rows.map((r) => [r.seq, r.role, r.content])).toEqual([
      [1, "user", "My starter smells like acetone. Is it dead?"],
      [2, "assistant", "Not dead. Acetone means it is **hungry**: feed it twice a day."],
      [3, "user", "Here is a photo of it. Does this look right?"],
      [4, "assistant", "Lots of bubbles: it is alive and well.\n\nBake tomorrow."],
    ]);
    expect(rows[1]!.model).toBe("gpt-4o");
    expect(rows[3]!.model).toBe("gpt-4o-mini");
    expect(rows[0]!.createdAt.toISOString()).toBe("2024-05-01T10:01:40.250Z");
    expect(sourdough).toMatchObject({ lastSeq: 4, messageCount: 4, summary: null, summaryThroughSeq: 0 });

    const untitled = chats.find((c) => c.title === "New Chat")!;
    const pair = await db.select().from(messages).where(eq(messages.sessionId, untitled.id)).orderBy(messages.seq);
    expect(pair.map((r) => r.content)).toEqual([
      "Translate 'good morning' into Portuguese — and Ελληνικά 🙂",
      "Bom dia. Καλημέρα.",
    ]);
    // A reply without a time takes its question's: time never runs backwards in a chat.
    expect(pair[1]!.createdAt.getTime()).toBe(pair[0]!.createdAt.getTime());
  });

  it("ChatGPT files without current_node take the newest leaf; a parent loop is an error naming the node", async () => {
    const user = await createTestUser("Older export");
    const project = await createProjectRow(user.user.id);
    const [first] = JSON.parse(FIXTURE) as Record<string, unknown>[];
    delete first!.current_node;
    const response = await importFile(user, JSON.stringify([first]), `?project_id=${project.id}`);
    expect(await response.json()).toMatchObject({ chats: 1, messages: 4 });
    const db = await getDb();
    const last = await db
      .select({ content: messages.content })
      .from(messages)
      .innerJoin(chatSessions, eq(chatSessions.id, messages.sessionId))
      .where(sql`${chatSessions.ownerId} = ${user.user.id} and ${messages.seq} = 4`);
    expect(last[0]?.content).toContain("Bake tomorrow.");

    const looped = JSON.parse(FIXTURE) as { mapping: Record<string, { parent: unknown }> }[];
    looped[1]!.mapping.aaa!.parent = "r";
    const refused = await importFile(user, JSON.stringify(looped), `?project_id=${project.id}`);
    expect(refused.status).toBe(422);
    expect((await refused.json()).detail).toMatch(/conversations\[1\]\.mapping\.\w+\.parent: the parent links form a loop/);
    expect(await countsOf(user.user.id)).toEqual({ projects: 1, chats: 1, messages: 4 });
  });

  it("ChatGPT needs a project of the caller's: missing → 422, another user's → 404, nothing imported", async () => {
    const owner = await createTestUser("Project owner");
    const project = await createProjectRow(owner.user.id);
    const intruder = await createTestUser("Intruder");
    const before = await countsOf(owner.user.id);
    const missing = await importFile(intruder, FIXTURE);
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors[0].path).toBe("project_id");
    const foreign = await importFile(intruder, FIXTURE, `?project_id=${project.id}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ code: "not_found:project" });
    // A Parley file aimed at someone else's project is refused the same way.
    const { owner: exporter } = await seedAccount();
    const parley = await (await exportAll(exporter)).text();
    expect((await importFile(intruder, parley, `?project_id=${project.id}`)).status).toBe(404);
    expect(await countsOf(owner.user.id)).toEqual(before);
    expect(await countsOf(intruder.user.id)).toEqual({ projects: 0, chats: 0, messages: 0 });
  });

  it("a Parley file with project_id puts its chats into that project (how one chat's JSON is imported)", async () => {
    const { owner, chat } = await seedAccount();
    const target = await createProjectRow(owner.user.id);
    const oneChat = await (await exportChat(owner, chat.id, "?format=json")).text();
    const response = await importFile(owner, oneChat, `?project_id=${target.id}`);
    expect(await response.json()).toMatchObject({ projects: 0, chats: 1, messages: 6, project_ids: [target.id] });
  });

  it("a bad file names what is wrong and imports nothing", async () => {
    const user = await createTestUser("Bad files");
    const project = await createProjectRow(user.user.id);
    const conversations = JSON.parse(FIXTURE) as { mapping: Record<string, { parent: unknown }> }[];
    conversations[1]!.mapping.q!.parent = 42;
    const wrongType = await importFile(user, JSON.stringify(conversations), `?project_id=${project.id}`);
    expect(wrongType.status).toBe(422);
    const body = await wrongType.json();
    expect(body.code).toBe("validation:import");
    expect(body.errors[0]).toMatchObject({ path: "conversations[1].mapping.q.parent" });
    expect(body.detail).toMatch(/^Nothing was imported: conversations\[1\]\.mapping\.q\.parent: .*expected string/);

    // A dangling parent in the second conversation: the first (valid) one is not imported either.
    const dangling = JSON.parse(FIXTURE) as { mapping: Record<string, { parent: unknown }> }[];
    dangling[1]!.mapping.r!.parent = "nowhere";
    const broken = await importFile(user, JSON.stringify(dangling), `?project_id=${project.id}`);
    expect(broken.status).toBe(422);
    expect((await broken.json()).errors[0].path).toBe("conversations[1].mapping.r.parent");

    // NUL in the last message of a Parley file: the text rule of lib/validation applies to imported text.
    const { owner } = await seedAccount();
    const doc = JSON.parse(await (await exportAll(owner)).text()) as {
      projects: { chats: { messages: { content: string }[] }[] }[];
    };
    const chatsWithMessages = doc.projects.flatMap((p) => p.chats).filter((c) => c.messages.length > 0);
    chatsWithMessages.at(-1)!.messages.at(-1)!.content = "bad \u0000 byte";
    const nul = await importFile(user, JSON.stringify(doc));
    expect(nul.status).toBe(422);
    expect((await nul.json()).detail).toMatch(/projects\[\d\]\.chats\[\d\]\.messages\[\d\]\.content: must not contain NUL/);

    // Lone surrogates are mended, not refused.
    const mended = JSON.parse(FIXTURE) as { mapping: Record<string, { message: { content: { parts: string[] } } }> }[];
    mended[1]!.mapping.q!.message.content.parts = ["half \ud800 pair"];
    const fixed = await importFile(user, JSON.stringify([mended[1]]), `?project_id=${project.id}`);
    expect(fixed.status).toBe(201);
    const db = await getDb();
    const [row] = await db
      .select({ content: messages.content })
      .from(messages)
      .innerJoin(chatSessions, eq(chatSessions.id, messages.sessionId))
      .where(sql`${chatSessions.ownerId} = ${user.user.id} and ${messages.seq} = 1`);
    expect(row?.content).toBe("half \ufffd pair");

    for (const [text, status] of [
      ["{not json", 400],
      ['{"format":"something-else"}', 422],
      ['{"format":"parley-export","version":2,"exported_at":"2026-01-01T00:00:00Z","projects":[]}', 422],
      ["42", 422],
    ] as const) {
      const response = await importFile(user, text, `?project_id=${project.id}`);
      expect(response.status, text).toBe(status);
      expect((await response.json()).detail).toMatch(/^Nothing was imported/);
    }
    expect(await countsOf(user.user.id)).toEqual({ projects: 1, chats: 1, messages: 2 });
  });

  it("refuses a body over IMPORT_MAX_BYTES while reading it (413 naming the limit), declared or not", async () => {
    const user = await createTestUser("Too big");
    const project = await createProjectRow(user.user.id);
    process.env.IMPORT_MAX_BYTES = "4096";
    resetConfigForTests();
    try {
      const declared = await importFile(user, FIXTURE, `?project_id=${project.id}`);
      expect(declared.status).toBe(413);
      expect(await declared.json()).toMatchObject({ code: "payload_too_large:import", detail: expect.stringContaining("4 KiB") });
      // No Content-Length, and more bytes than the limit, sent slowly: cut once the limit is passed.
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 1024;
          controller.enqueue(new TextEncoder().encode(" ".repeat(1024)));
        },
      });
      const streamed = await importFile(user, endless, `?project_id=${project.id}`);
      expect(streamed.status).toBe(413);
      expect(sent).toBeLessThan(64 * 1024);
    } finally {
      delete process.env.IMPORT_MAX_BYTES;
      resetConfigForTests();
    }
    expect(await countsOf(user.user.id)).toEqual({ projects: 1, chats: 0, messages: 0 });
  });

  it("limits imports per user per hour (RATE_LIMIT_IMPORTS_PER_HOUR): 429 with Retry-After, nothing imported", async () => {
    const user = await createTestUser("Eager importer");
    const other = await createTestUser("Patient importer");
    const project = await createProjectRow(user.user.id);
    const otherProject = await createProjectRow(other.user.id);
    process.env.RATE_LIMIT_IMPORTS_PER_HOUR = "2";
    resetConfigForTests();
    resetRateLimitsForTests();
    try {
      expect((await importFile(user, FIXTURE, `?project_id=${project.id}`)).status).toBe(201);
      // A bad file counts too: reading and checking it is the cost.
      expect((await importFile(user, "[{", `?project_id=${project.id}`)).status).toBe(400);
      const refused = await importFile(user, FIXTURE, `?project_id=${project.id}`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
      expect(await refused.json()).toMatchObject({ code: "rate_limited:import" });
      // Per user: another account is not affected.
      expect((await importFile(other, FIXTURE, `?project_id=${otherProject.id}`)).status).toBe(201);
    } finally {
      process.env.RATE_LIMIT_IMPORTS_PER_HOUR = "100000";
      resetConfigForTests();
      resetRateLimitsForTests();
    }
    expect(await countsOf(user.user.id)).toEqual({ projects: 1, chats: 2, messages: 6 });
  });

  it("every string of either kind of file, poisoned with NUL, is refused (422) or ignored, never a 500", async () => {
    const user = await createTestUser("Poisoner");
    const project = await createProjectRow(user.user.id);
    const { owner } = await seedAccount();
    const bases = [
      { doc: JSON.parse(FIXTURE) as unknown, query: `?project_id=${project.id}` },
      { doc: JSON.parse(await (await exportAll(owner)).text()) as unknown, query: "" },
    ];
    const refused = new Set<string>();
    const accepted = new Set<string>();
    for (const [b, { doc, query }] of bases.entries()) {
      const strings: (string | number)[][] = [];
      const walk = (value: unknown, at: (string | number)[]) => {
        if (typeof value === "string") strings.push(at);
        else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i]));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
      };
      walk(doc, []);
      for (const at of strings) {
        const copy = structuredClone(doc) as Record<string | number, unknown>;
        let node = copy;
        for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        node[at.at(-1)!] = `${String(node[at.at(-1)!])}\u0000`;
        const response = await importFile(user, JSON.stringify(copy), query);
        const text = await response.text();
        expect([201, 422], `${at.join(".")}: ${text.slice(0, 200)}`).toContain(response.status);
        (response.status === 422 ? refused : accepted).add(`${b}:${at.join(".")}`);
      }
    }
    // Every string of a Parley file is checked; in a ChatGPT file the titles and the text kept are, while what
    // Parley ignores (node ids, asset pointers, skipped nodes) may hold anything.
    expect([...accepted].filter((path) => path.startsWith("1:"))).toEqual([]);
    expect([...refused]).toEqual(
      expect.arrayContaining(["0:0.title", "0:0.mapping.u2.message.content.parts.1", "0:1.mapping.r.message.content.parts.0"]),
    );
    expect(accepted).toContain("0:0.mapping.a1-first.message.content.parts.0");
  });

  it("fuzz: any value of either kind of file replaced by a hostile one gets 201 or a 4xx, and a 4xx imports nothing", async () => {
    const user = await createTestUser("Fuzzer");
    const project = await createProjectRow(user.user.id);
    const { owner } = await seedAccount();
    const bases = [
      { doc: JSON.parse(FIXTURE) as unknown, query: `?project_id=${project.id}` },
      { doc: JSON.parse(await (await exportAll(owner)).text()) as unknown, query: "" },
    ];
    const targets: { base: number; at: (string | number)[] }[] = [];
    const walk = (base: number, value: unknown, at: (string | number)[]) => {
      targets.push({ base, at });
      if (Array.isArray(value)) value.forEach((v, i) => walk(base, v, [...at, i]));
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(base, v, [...at, k]);
    };
    bases.forEach((b, i) => walk(i, b.doc, []));
    const hostile = fc.oneof(
      fc.constantFrom(null, true, 0, -1, 2 ** 31, 1e308, "", "\u0000", "a\ud800b", "x".repeat(600_000), [], {}, [null], {
        parts: 1,
      }),
      fc.constantFrom("1999-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "user", "system", "reasoning", "parley-export"),
      fc.string(),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const raw = fc.constantFrom("", "[", "[{]", "null", "\u0000", "[1e999]", '{"format":"parley-export"}', "\ufeff[]");
    let imported = 0;
    const RUNS = 100;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constantFrom(...targets), hostile).map(([{ base, at }, value]) => {
            const copy = structuredClone(bases[base]!.doc);
            const query = bases[base]!.query;
            if (at.length === 0) return { body: JSON.stringify(value), query };
            let node = copy as Record<string | number, unknown>;
            for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
            node[at.at(-1)!] = value;
            return { body: JSON.stringify(copy), query };
          }),
          raw.map((body) => ({ body, query: `?project_id=${project.id}` })),
        ),
        async ({ body, query }) => {
          const before = await countsOf(user.user.id);
          const response = await importFile(user, body, query);
          const text = await response.text();
          expect(response.status, text.slice(0, 300)).toBeLessThan(500);
          if (response.status === 201) imported++;
          else {
            expect(response.status, text.slice(0, 300)).toBeGreaterThanOrEqual(400);
            expect(typeof (JSON.parse(text) as { detail: unknown }).detail).toBe("string");
            expect(await countsOf(user.user.id)).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    console.log(`[transfer fuzz] ${imported}/${RUNS} mutated files imported, the rest refused with a 4xx`);
  });
});
