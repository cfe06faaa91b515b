import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/support/app-server";
import { startOpenRouterStandin, type OpenRouterStandin } from "@/tests/support/openrouter-standin";
import { createProject, createSession, signUp, streamMessage, type StreamOutcome } from "@/tests/support/rest-client";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";
import { waitFor } from "@/tests/support/wait";
import { inBatches } from "./helpers";

/**
 * SIGTERM while replies stream: the process exits only after the replies are stored complete and the summaries
 * they made due are committed; new messages are refused meanwhile. With a stalled upstream, SHUTDOWN_TIMEOUT_MS
 * bounds the wait: the reply is stopped, stored with what arrived, and the process exits.
 */
const REPLY = "one two three four five six seven eight nine ten eleven twelve";

let db: ThrowawayDatabase | undefined;
let standin: OpenRouterStandin | undefined;
const apps: AppServer[] = [];

beforeAll(async () => {
  db = await createThrowawayDatabase("parley_resil_shutdown");
  // Slow on purpose, so a drain that did not wait would be seen: each reply takes seconds, and each summary (the
  // same stand-in, not streamed) a second.
  standin = await startOpenRouterStandin({ script: { reply: REPLY, ttftMs: 1_000, tokenDelayMs: 150 } });
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop(2_000)));
  await standin?.close();
  await db?.drop();
});

async function start(port: number, env: Record<string, string> = {}) {
  const app = await startAppServer({ port, databaseUrl: db!.url, openrouterBaseUrl: standin!.baseUrl, env });
  apps.push(app);
  return app;
}

/** Starts a stream and resolves once its first text arrived (the reply is then surely running). */
function streamStarted(app: AppServer, user: Awaited<ReturnType<typeof signUp>>, sessionId: string) {
  let started!: () => void;
  const first = new Promise<void>((resolve) => (started = resolve));
  const outcome = streamMessage(app.url, user, sessionId, "Please answer slowly", (event) => {
    if (event.event === "message") started();
  });
  return { first: Promise.race([first, outcome.then(() => undefined)]), outcome };
}

/** A request made after SIGTERM: refused at the door (connection refused) or by the app (503). */
async function lateSend(app: AppServer, user: Awaited<ReturnType<typeof signUp>>, sessionId: string): Promise<string> {
  try {
    const late: StreamOutcome = await streamMessage(app.url, user, sessionId, "Too late");
    return `${late.status} ${late.error?.code ?? ""}`.trim();
  } catch {
    return "connection refused";
  }
}

it("drains running replies and their summaries before exiting, refusing new messages", async () => {
  const app = await start(3514);
  const user = await signUp(app.url);
  // A summary is due right after the first turn: 2 uncovered messages, none kept verbatim.
  const project = await createProject(app.url, user, { memory_threshold: 2, memory_keep_recent: 0 });
  const sessions = await inBatches(3, 3, () => createSession(app.url, user, project.id));
  const spare = await createSession(app.url, user, project.id);

  // The replies hold after their first words until the server has taken the signal: it finds all three running.
  let resume!: () => void;
  standin!.setScript({ pause: { beforeChunk: 1, until: new Promise<void>((resolve) => (resume = resolve)) } });
  const streams = sessions.map((s) => streamStarted(app, user, s.id));
  await Promise.all(streams.map((s) => s.first));
  app.process.kill("SIGTERM");
  await waitFor(
    async () => (app.output().includes("[parley] SIGTERM:") ? true : undefined),
    60_000,
    "the server to take SIGTERM",
  );
  resume();
  standin!.setScript({ pause: undefined });
  const late = await lateSend(app, user, spare.id);

  const outcomes = await Promise.all(streams.map((s) => s.outcome));
  const exit = await app.exited;
  // Only now, with the process gone, look at what it left in the database.
  expect(outcomes.map((o) => ({ status: o.status, text: o.text, done: o.done, error: o.error }))).toEqual(
    sessions.map(() => ({ status: 200, text: REPLY, done: true, error: undefined })),
  );
  expect(["connection refused", "503 unavailable:server"]).toContain(late);
  expect(exit).toEqual({ code: 143, signal: null }); // Next's own clean exit, not our deadline (1)
  // Each send registers its reply (whose summary follows it) and its chat's title job: 3 sends, 6 pieces of work.
  expect(app.output()).toContain("[parley] SIGTERM: new messages are refused; finishing 6 running replies and summaries");

  const sql = db!.sql;
  const rows = await sql<Array<{ session_id: string; role: string; status: string; content: string }>>`
    select session_id, role, status, content from parley.messages where session_id in ${sql([...sessions, spare].map((s) => s.id))} order by session_id, seq`;
  const summaries = await sql<Array<{ id: string; summary_through_seq: number; summary_status: string; has_summary: boolean }>>`
    select id, summary_through_seq, summary_status, summary is not null as has_summary from parley.chat_sessions where id in ${sql(sessions.map((s) => s.id))}`;
  for (const session of sessions) {
    expect(rows.filter((r) => r.session_id === session.id).map((r) => [r.role, r.status, r.content])).toEqual([
      ["user", "complete", "Please answer slowly"],
      ["assistant", "complete", REPLY],
    ]);
  }
  expect(rows.filter((r) => r.session_id === spare.id)).toEqual([]);
  expect(summaries.map((s) => ({ through: s.summary_through_seq, status: s.summary_status, has: s.has_summary }))).toEqual(
    sessions.map(() => ({ through: 2, status: "ready", has: true })),
  );
  console.log(
    `[resilience:shutdown] 3 replies and 3 summaries drained after SIGTERM; a send after it: ${late}; exit ${exit.code}`,
  );
});

it("bounds the wait with SHUTDOWN_TIMEOUT_MS: a stalled reply is stopped, stored with what arrived, and the process exits", async () => {
  const app = await start(3515, { SHUTDOWN_TIMEOUT_MS: "2000" });
  const user = await signUp(app.url);
  const project = await createProject(app.url, user);
  const session = await createSession(app.url, user, project.id);
  standin!.once({ ttftMs: 0, failure: { kind: "stall", afterChunks: 2 } }); // then silence, far below the stall limit

  const stream = streamStarted(app, user, session.id);
  await stream.first;
  app.process.kill("SIGTERM");
  const outcome = await stream.outcome;
  const exit = await app.exited;

  expect(outcome).toMatchObject({ status: 200, text: "one two " });
  expect(exit.code).toBe(1);
  expect(app.output()).toContain("[parley] shutdown deadline passed: stopped 1 running replies");
  const rows = await db!.sql<Array<{ role: string; status: string; content: string }>>`
    select role, status, content from parley.messages where session_id = ${session.id} order by seq`;
  expect(rows.map((r) => [r.role, r.status, r.content])).toEqual([
    ["user", "complete", "Please answer slowly"],
    ["assistant", "incomplete", "one two "],
  ]);
});
