import { and, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/search/route";
import { linkAsOnePath } from "@/tests/support/message-tree";
import { getDb } from "@/lib/db/client";
import { messages } from "@/lib/db/schema";
import { appendMessage, listMessagesPage, THROUGH_MAX } from "@/lib/db/queries/messages";
import { RECENT } from "@/lib/db/queries/search";
import { createSession } from "@/lib/db/queries/sessions";
import type { SearchResultView } from "@/lib/search/views";
import { createTestUser } from "@/tests/support/auth";
import { createProjectRow } from "@/tests/support/chat-fixtures";

type User = Awaited<ReturnType<typeof createTestUser>>;

async function search(user: User, q: string, extra: Record<string, string> = {}) {
  const url = new URL("http://localhost/api/v1/search");
  url.searchParams.set("q", q);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  const response = await GET(new Request(url, { headers: user.headers }));
  return response;
}

async function results(user: User, q: string, extra: Record<string, string> = {}): Promise<SearchResultView[]> {
  const response = await search(user, q, extra);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as SearchResultView[];
}

/** A chat with these messages, each `minutesAgo` old (set straight in the table: ordering must not hang on clocks). */
async function chat(user: User, projectId: string, title: string, texts: Array<[string, number]>) {
  const session = (await createSession(user.user.id, { projectId, title, model: "offline" }))!;
  const ids: string[] = [];
  for (const [i, [content, minutesAgo]] of texts.entries()) {
    const row = (await appendMessage(user.user.id, session.id, { role: i % 2 ? "assistant" : "user", content }))!;
    const db = await getDb();
    await db.execute(
      sql`update parley.messages set created_at = now() - ${minutesAgo} * interval '1 minute' where id = ${row.id}`,
    );
    ids.push(row.id);
  }
  const db = await getDb();
  const newest = Math.min(...texts.map(([, m]) => m), 10_000);
  await db.execute(
    sql`update parley.chat_sessions set last_activity_at = now() - ${newest} * interval '1 minute' where id = ${session.id}`,
  );
  return { id: session.id, messageIds: ids };
}

/** The highlighted words of a result, lowercased. */
const marked = (text: string, ranges: Array<[number, number]>) => ranges.map(([s, e]) => text.slice(s, e).toLowerCase());

describe("search across chats", () => {
  it("finds messages by their words, highlights them as ranges and names the message", async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const trip = await chat(me, project.id, "Holidays", [
      ["Where should we go in Portugal?", 30],
      ["Lisbon has trams and <b>pastel de nata</b>.", 29],
    ]);
    await chat(me, project.id, "Work", [["Quarterly numbers", 20]]);
    const [hit, ...rest] = await results(me, "pastel");
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ session_id: trip.id, project_id: project.id, message_id: trip.messageIds[1], title: "Holidays" });
    // Markup in a message is text: it comes back as characters, never as highlighted or interpreted markup.
    expect(hit.snippet).toContain("<b>pastel de nata</b>");
    expect(marked(hit.snippet, hit.highlights)).toEqual(["pastel"]);
    expect(hit.title_highlights).toEqual([]);
  });

  it("matches titles too, with no message when only the title matches", async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const titled = await chat(me, project.id, "Kubernetes upgrade plan", [["nothing relevant here", 5]]);
    const [hit] = await results(me, "kubernetes");
    expect(hit).toMatchObject({ session_id: titled.id, message_id: null, title: "Kubernetes upgrade plan" });
    expect(marked(hit.title, hit.title_highlights)).toEqual(["kubernetes"]);
  });

  it("matches the word being typed as a prefix, and only that word", async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const a = await chat(me, project.id, "A", [["The deployment failed on Friday", 10]]);
    expect((await results(me, "deplo")).map((r) => r.session_id)).toEqual([a.id]);
    expect(marked((await results(me, "friday deplo"))[0].snippet, (await results(me, "friday deplo"))[0].highlights)).toEqual([
      "deployment",
      "friday",
    ]);
    // A finished word (a space after it) is a whole word, and earlier words never match as prefixes.
    expect(await results(me, "deplo ")).toEqual([]);
    expect(await results(me, "fri deployment")).toEqual([]);
    // Case and accents of other scripts: 'simple' lowercases in every language.
    const b = await chat(me, project.id, "B", [["Ελληνικά και Straße", 11]]);
    expect((await results(me, "ΕΛΛΗΝ")).map((r) => r.session_id)).toEqual([b.id]);
    expect((await results(me, "straße")).map((r) => r.session_id)).toEqual([b.id]);
  });

  it('honours "quoted phrases", -excluded words and or', async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const phrase = await chat(me, project.id, "P", [["I saw a blue whale today", 10]]);
    const reversed = await chat(me, project.id, "R", [["the whale was not blue", 9]]);
    const ids = async (q: string) => (await results(me, q)).map((r) => r.session_id).sort();
    expect(await ids('"blue whale"')).toEqual([phrase.id]);
    expect(await ids("whale blue")).toEqual([phrase.id, reversed.id].sort());
    expect(await ids("whale -today")).toEqual([reversed.id]);
    expect(await ids('"blue whale" or "not blue"')).toEqual([phrase.id, reversed.id].sort());
    // A word being typed after a negation is not a prefix of anything: "-tod" excludes the word "tod" only.
    expect(await ids("whale -tod")).toEqual([phrase.id, reversed.id].sort());
  });

  it("orders chats by their newest match and shows each chat's best match", async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const older = await chat(me, project.id, "Older", [["a note on gardening", 60]]);
    const newer = await chat(me, project.id, "Newer", [
      ["gardening gardening gardening tips for gardening", 50],
      ["unrelated", 40],
      ["one more word on gardening", 5],
    ]);
    const hits = await results(me, "gardening");
    expect(hits.map((h) => h.session_id)).toEqual([newer.id, older.id]);
    // The best ranked message of the chat, not merely its newest match.
    expect(hits[0].message_id).toBe(newer.messageIds[0]);
  });

  it("never shows another user's chats, even with the same words and the same titles", async () => {
    const me = await createTestUser();
    const other = await createTestUser();
    const mine = await chat(me, (await createProjectRow(me.user.id)).id, "Secret recipe", [["secret sauce recipe", 10]]);
    const theirs = await chat(other, (await createProjectRow(other.user.id)).id, "Secret recipe", [
      ["secret sauce recipe", 1],
      // The other user writes my owner lexeme into a message: it must not make their message mine.
      [`#${me.user.id} secret`, 1],
    ]);
    expect((await results(me, "secret")).map((r) => r.session_id)).toEqual([mine.id]);
    expect((await results(other, "secret")).map((r) => r.session_id)).toEqual([theirs.id]);
    expect((await results(other, "recipe sau")).map((r) => r.session_id)).toEqual([theirs.id]);
    expect((await results(me, me.user.id)).map((r) => r.session_id)).toEqual([]);
  });

  it("pages through every matching chat with the cursor", async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await chat(me, project.id, `Chat ${i}`, [[`pagination word ${i}`, 100 - i]])).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await search(me, "pagination", { limit: "2", ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      seen.push(...((await response.json()) as SearchResultView[]).map((r) => r.session_id));
      cursor = response.headers.get("x-next-cursor");
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...made].reverse());
  });

  it("quotes the message faithfully: markup, emoji and the neighbourhood of a match deep in a long text", async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    await chat(me, project.id, "Code", [['Use <div class="x"> here 🎉 then target 🎉', 3]]);
    const [hit] = await results(me, "target");
    expect(hit.snippet).toBe('Use <div class="x"> here 🎉 then target 🎉');
    expect(marked(hit.snippet, hit.highlights)).toEqual(["target"]);
    await chat(me, project.id, "Long", [[`${"filler words ".repeat(500)}the needle is here ${"and more ".repeat(100)}`, 2]]);
    const [long] = await results(me, "needle");
    expect(long.snippet.startsWith("…")).toBe(true);
    expect(long.snippet.endsWith("…")).toBe(true);
    expect(long.snippet.length).toBeLessThanOrEqual(242);
    expect(marked(long.snippet, long.highlights)).toEqual(["needle"]);
  });

  it("answers odd input with 200 or 422, never an error", async () => {
    const me = await createTestUser();
    const project = await createProjectRow(me.user.id);
    await chat(me, project.id, "Odd", [["it's a back\\slash & (pipe) | colon: test", 3]]);
    const odd = [
      "'",
      "''",
      '"',
      '"""',
      "a:*",
      ":*",
      "a & b | !c",
      "!(",
      ")",
      "<->",
      "\\",
      "back\\",
      "it's",
      "colon:",
      "-",
      "--x",
      "or",
      "x or",
      "🎉",
      "🎉test",
      "test🎉",
      "'a':* & 'b'",
      "a".repeat(200),
      `${"é".repeat(199)}x`,
      "\u0301",
    ];
    for (const q of odd) {
      const response = await search(me, q);
      expect(response.status, q).toBe(200);
    }
    expect((await results(me, "colon:")).length).toBe(1);
    expect((await results(me, "back\\")).length).toBe(1);
    for (const q of ["", "   ", "a".repeat(201), "nul\u0000byte"]) expect((await search(me, q)).status, q).toBe(422);
    expect((await search(me, "x", { limit: "0" })).status).toBe(422);
    expect((await search(me, "x", { cursor: "not-a-cursor" })).status).toBe(422);
  });

  it("finds an old match behind more than RECENT newer messages (the GIN step), and only the caller's", async () => {
    const me = await createTestUser();
    const other = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const old = await chat(me, project.id, "Old", [["the word xylophone once", 60 * 24]]);
    await chat(other, (await createProjectRow(other.user.id)).id, "Theirs", [["xylophone too", 60]]);
    const filler = await chat(me, project.id, "Filler", [["start", 600]]);
    const db = await getDb();
    // RECENT + 50 newer messages of mine without the word, in one statement.
    await db.execute(sql`
      insert into parley.messages (session_id, owner_id, seq, role, content, created_at)
      select ${filler.id}::uuid, ${me.user.id}::uuid, 1 + g, 'user', 'filler text ' || g, now() - interval '1 hour' + g * interval '1 millisecond'
        from generate_series(1, ${RECENT + 50}::int) g`);
    await linkAsOnePath(db, filler.id);
    const [hit, ...rest] = await results(me, "xylophone");
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ session_id: old.id, message_id: old.messageIds[0] });
    // And a common word still pages newest first from the recent step.
    const [newest] = await results(me, "filler");
    expect(newest.session_id).toBe(filler.id);
    expect(newest.snippet).toMatch(/^filler text \d+$/);
  });

  it("opens a chat's history down to a found message older than the first page, within THROUGH_MAX", async () => {
    const me = await createTestUser();
    const other = await createTestUser();
    const project = await createProjectRow(me.user.id);
    const session = (await createSession(me.user.id, { projectId: project.id, title: "Long", model: "offline" }))!;
    const db = await getDb();
    const total = THROUGH_MAX + 20;
    await db.execute(sql`
      insert into parley.messages (session_id, owner_id, seq, role, content)
      select ${session.id}::uuid, ${me.user.id}::uuid, g, 'user', 'm' || g from generate_series(1, ${total}::int) g`);
    await linkAsOnePath(db, session.id);
    const first = async (seq: number) =>
      (
        await db
          .select({ id: messages.id })
          .from(messages)
          .where(and(eq(messages.sessionId, session.id), eq(messages.seq, seq)))
      )[0].id;
    const seqs = (page: Awaited<ReturnType<typeof listMessagesPage>>) => page!.rows.map((r) => r.seq);
    // 200 from the newest: the page reaches back to it and two before it, with older ones still to load.
    const near = await listMessagesPage(me.user.id, session.id, { limit: 50, throughId: await first(total - 200) });
    expect(seqs(near)[0]).toBe(total - 202);
    expect(seqs(near).at(-1)).toBe(total);
    expect(near!.hasMore).toBe(true);
    // Within the newest page, or beyond THROUGH_MAX, or someone else's: the usual newest page.
    for (const [owner, seq] of [
      [me.user.id, total - 10],
      [me.user.id, 5],
      [other.user.id, total - 200],
    ] as const) {
      const page = await listMessagesPage(owner, session.id, { limit: 50, throughId: await first(seq) });
      if (owner === other.user.id) expect(page).toBeUndefined();
      else expect(seqs(page)).toEqual(Array.from({ length: 50 }, (_, i) => total - 49 + i));
    }
  });

  it("fuzz: any q of tsquery syntax, quotes, backslashes and any script answers 200 or 422, with only the caller's chats", async () => {
    const me = await createTestUser();
    const other = await createTestUser();
    const mine = await chat(me, (await createProjectRow(me.user.id)).id, "a b c", [["a & b | !c 'd' \\e: (f) <-> g:* \"h\"", 2]]);
    await chat(other, (await createProjectRow(other.user.id)).id, "a b c", [["a & b | !c 'd' \\e: (f) <-> g:* \"h\"", 1]]);
    const piece = fc.oneof(
      fc.constantFrom(
        "&",
        "|",
        "!",
        "(",
        ")",
        "<->",
        "<2>",
        ":*",
        ":",
        "'",
        "''",
        '"',
        "\\",
        "-",
        " or ",
        " ",
        "*",
        "a",
        "b",
        "g",
        "🎉",
        "é",
        "\u0301",
        "\u0000",
      ),
      fc.string({ maxLength: 8, unit: "grapheme" }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 40 }).map((p) => p.join("")),
        async (q) => {
          const response = await search(me, q);
          const text = await response.text();
          expect([200, 422], `${JSON.stringify(q)} → ${response.status} ${text.slice(0, 200)}`).toContain(response.status);
          if (response.status === 200) for (const r of JSON.parse(text) as SearchResultView[]) expect(r.session_id).toBe(mine.id);
        },
      ),
      { numRuns: 150, seed: 14 },
    );
  });
});
