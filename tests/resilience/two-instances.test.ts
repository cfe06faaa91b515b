import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/support/app-server";
import { startOpenRouterStandin, type OpenRouterStandin } from "@/tests/support/openrouter-standin";
import { createProject, createSession, signUp, streamMessage, type ApiUser } from "@/tests/support/rest-client";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";
import { waitFor } from "@/tests/support/wait";
import { inBatches } from "./helpers";

/**
 * Two `next start` instances on one PostgreSQL database, every chat's messages alternating between them, with a
 * memory threshold low enough that summaries run (in `after()`, on whichever instance served the turn). The
 * database must end as if one server had done it all: contiguous sequence numbers, a reply to every message,
 * summaries that cover exactly the messages up to their boundary. A double send across the instances is one
 * 409 and nothing stored twice; so is an edit on one instance against a regenerate on the other.
 */
const USERS = 4;
const SESSIONS_PER_USER = 2;
const TURNS = 8;

let db: ThrowawayDatabase | undefined;
let standin: OpenRouterStandin | undefined;
const apps: AppServer[] = [];

beforeAll(async () => {
  db = await createThrowawayDatabase("parley_resil_pair");
  standin = await startOpenRouterStandin({ script: { reply: "Noted, with a few words of reply.", tokenDelayMs: 5 } });
  // One after the other: the second finds the schema migrated (instances starting together take turns anyway).
  for (const port of [3512, 3513])
    apps.push(await startAppServer({ port, databaseUrl: db.url, openrouterBaseUrl: standin.baseUrl }));
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await standin?.close();
  await db?.drop();
});

interface StoredMessage {
  session_id: string;
  seq: number;
  role: string;
  status: string;
  content: string;
}

interface StoredSession {
  id: string;
  last_seq: number;
  message_count: number;
  generation_id: string | null;
  summary: string | null;
  summary_through_seq: number;
  summary_covered_messages: number;
  summary_status: string;
  summary_failures: number;
}

async function stored(sessionIds: string[]) {
  const sql = db!.sql;
  const sessions = await sql<StoredSession[]>`
    select id, last_seq, message_count, generation_id, summary, summary_through_seq, summary_covered_messages, summary_status, summary_failures
    from parley.chat_sessions where id in ${sql(sessionIds)}`;
  const messages = await sql<StoredMessage[]>`
    select session_id, seq, role, status, content from parley.messages where session_id in ${sql(sessionIds)} order by session_id, seq`;
  return { sessions, messages };
}

it("keeps chats and summaries consistent with requests alternating between two instances", async () => {
  const users = await inBatches(USERS, USERS, (i) => signUp(apps[i % 2].url));
  const chats = (
    await inBatches(USERS, USERS, async (i) => {
      const user = users[i];
      // Summaries from the 3rd turn on: 4 uncovered messages beyond the 2 kept verbatim.
      const project = await createProject(apps[i % 2].url, user, { memory_threshold: 4, memory_keep_recent: 2 });
      return inBatches(SESSIONS_PER_USER, 1, async (s) => ({
        user,
        session: await createSession(apps[(i + s) % 2].url, user, project.id),
      }));
    })
  ).flat();

  const sent = new Map<string, string[]>();
  const failures: unknown[] = [];
  await Promise.all(
    chats.map(async ({ user, session }, c) => {
      const texts: string[] = [];
      sent.set(session.id, texts);
      for (let turn = 0; turn < TURNS; turn++) {
        const text = `Chat ${c}, turn ${turn}`;
        const outcome = await streamMessage(apps[(c + turn) % 2].url, user, session.id, text);
        texts.push(text);
        if (outcome.status !== 200 || !outcome.done || outcome.error)
          failures.push({ chat: c, turn, status: outcome.status, error: outcome.error });
      }
    }),
  );
  expect(failures).toEqual([]);

  const ids = chats.map((c) => c.session.id);
  // Summaries run after the replies, in the background of either instance: wait until none is in progress.
  const { sessions, messages } = await waitFor(
    async () => {
      const state = await stored(ids);
      return state.sessions.every((s) => s.summary_status !== "pending") ? state : undefined;
    },
    60_000,
    "summaries to settle",
  );

  for (const session of sessions) {
    const rows = messages.filter((m) => m.session_id === session.id);
    const expectedTexts = sent.get(session.id)!;
    // Contiguous, no duplicates: exactly 1..2×TURNS, user and reply alternating, every reply complete.
    expect(rows.map((m) => m.seq)).toEqual(Array.from({ length: 2 * TURNS }, (_, i) => i + 1));
    expect(rows.map((m) => m.role)).toEqual(Array.from({ length: 2 * TURNS }, (_, i) => (i % 2 === 0 ? "user" : "assistant")));
    expect(rows.filter((m) => m.role === "user").map((m) => m.content)).toEqual(expectedTexts);
    expect(rows.filter((m) => m.role === "assistant").every((m) => m.status === "complete")).toBe(true);
    expect(session).toMatchObject({
      last_seq: 2 * TURNS,
      message_count: 2 * TURNS,
      generation_id: null,
      summary_status: "ready",
      summary_failures: 0,
    });
    // The summary covers exactly the messages up to its boundary (no message skipped or counted twice), the
    // boundary is the end of a turn, and the kept-recent messages stay outside it.
    expect(session.summary).toBeTruthy();
    expect(session.summary_through_seq).toBeGreaterThan(0);
    expect(session.summary_through_seq).toBeLessThanOrEqual(2 * TURNS - 2);
    expect(session.summary_covered_messages).toBe(session.summary_through_seq);
    expect(rows[session.summary_through_seq - 1].role).toBe("assistant");
  }
  const summaries = sessions.map((s) => s.summary_through_seq);
  console.log(
    `[resilience:two-instances] ${ids.length} chats × ${TURNS} turns alternating; summaries cover through seq ${[...new Set(summaries)].join("/")}`,
  );
});

it("refuses a simultaneous second send on the other instance (409) and stores nothing twice", async () => {
  const user: ApiUser = await signUp(apps[0].url);
  const project = await createProject(apps[1].url, user, { memory_enabled: false });
  const sessions = await inBatches(4, 4, () => createSession(apps[0].url, user, project.id));
  // The winners' replies wait at the stand-in, their leases held, until every pair has one answer (the loser's):
  // the loser surely arrives while the winner holds the lease, however loaded the machine.
  let resume!: () => void;
  standin!.setScript({ pause: { beforeChunk: 0, until: new Promise<void>((resolve) => (resume = resolve)) } });
  let answered = 0;
  const pairs = sessions.map((session) => {
    const both = [streamMessage(apps[0].url, user, session.id, "first"), streamMessage(apps[1].url, user, session.id, "second")];
    const count = () => void answered++;
    void Promise.race(both).then(count, count);
    return { session, both };
  });
  // Should both be accepted (the defect this looks for), neither answers before the resume: the deadline resumes
  // them, and the statuses below show it.
  await waitFor(async () => (answered === pairs.length ? true : undefined), 60_000, "one answer in every pair").catch(() => {});
  resume();
  standin!.setScript({ pause: undefined });
  const rounds = await Promise.all(pairs.map(async ({ session, both }) => ({ session, outcomes: await Promise.all(both) })));

  const { messages } = await stored(sessions.map((s) => s.id));
  for (const { session, outcomes } of rounds) {
    expect(outcomes.map((o) => o.status).sort()).toEqual([200, 409]);
    const refused = outcomes.find((o) => o.status === 409)!;
    const accepted = outcomes.indexOf(outcomes.find((o) => o.status === 200)!);
    expect(refused.error?.code).toBe("conflict:generation");
    const rows = messages.filter((m) => m.session_id === session.id);
    expect(rows.map((m) => [m.seq, m.role, m.status, m.content])).toEqual([
      [1, "user", "complete", accepted === 0 ? "first" : "second"],
      [2, "assistant", "complete", "Noted, with a few words of reply."],
    ]);
  }
});

it("an edit on one instance against a regenerate on the other: one runs, the other gets 409, every version kept", async () => {
  const user: ApiUser = await signUp(apps[1].url);
  const project = await createProject(apps[0].url, user, { memory_enabled: false });
  const session = await createSession(apps[1].url, user, project.id);
  expect((await streamMessage(apps[0].url, user, session.id, "the question")).status).toBe(200);
  const sql = db!.sql;
  const tree = () =>
    sql<{ id: string; parent_id: string | null; role: string; content: string }[]>`
      select id, parent_id, role, content from parley.messages where session_id = ${session.id} order by seq`;
  const [question, firstReply] = await tree();

  // As above: the winner's reply waits at the stand-in, its lease held, until the loser has its answer.
  let resume!: () => void;
  standin!.setScript({ pause: { beforeChunk: 0, until: new Promise<void>((resolve) => (resume = resolve)) } });
  const both = [
    streamMessage(apps[0].url, user, session.id, { message: "the question, edited", edit_of: question!.id }),
    streamMessage(apps[1].url, user, session.id, { regenerate: true }),
  ];
  let answered = false;
  void Promise.race(both).then(
    () => (answered = true),
    () => (answered = true),
  );
  await waitFor(async () => (answered ? true : undefined), 60_000, "the loser's answer").catch(() => {});
  resume();
  standin!.setScript({ pause: undefined });
  const outcomes = await Promise.all(both);
  expect(outcomes.map((o) => o.status).sort()).toEqual([200, 409]);
  expect(outcomes.find((o) => o.status === 409)!.error?.code).toBe("conflict:generation");

  const rows = await tree();
  const reply = "Noted, with a few words of reply.";
  const [, , third, fourth] = rows;
  if (outcomes[0]!.status === 200) {
    // The edit won: a second version of the question (a sibling: same parent) with its own reply.
    expect(rows).toHaveLength(4);
    expect([third!.role, third!.parent_id, third!.content]).toEqual(["user", question!.parent_id, "the question, edited"]);
    expect([fourth!.role, fourth!.parent_id, fourth!.content]).toEqual(["assistant", third!.id, reply]);
  } else {
    // The regenerate won: a second reply to the same question; the first is kept.
    expect(rows).toHaveLength(3);
    expect([third!.role, third!.parent_id, third!.content]).toEqual(["assistant", question!.id, reply]);
  }
  expect(rows.slice(0, 2).map((m) => m.id)).toEqual([question!.id, firstReply!.id]);
  const [chat] = await sql<{ active_leaf_id: string; generation_id: string | null }[]>`
    select active_leaf_id, generation_id from parley.chat_sessions where id = ${session.id}`;
  expect(chat).toEqual({ active_leaf_id: rows.at(-1)!.id, generation_id: null });
});
