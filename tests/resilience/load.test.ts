import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/support/app-server";
import { startOpenRouterStandin, type OpenRouterStandin } from "@/tests/support/openrouter-standin";
import { answerTitleRequests, isTitleRequestBody } from "@/tests/support/title-requests";
import { createProject, createSession, signUp, streamMessage, type StreamOutcome } from "@/tests/support/rest-client";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";
import { inBatches, quantiles } from "./helpers";

/**
 * 100 users × 10 messages through the REST stream of the production build, all users at once: every request
 * answers 200 and ends with [DONE], and exactly 2,000 messages are stored. Figures are printed, not asserted.
 */
const USERS = 100;
const MESSAGES = 10;
const REPLY = "A short answer, streamed two words at a time by the stand-in.";

let db: ThrowawayDatabase | undefined;
let standin: OpenRouterStandin | undefined;
let app: AppServer | undefined;

beforeAll(async () => {
  db = await createThrowawayDatabase("parley_resil_load");
  standin = await startOpenRouterStandin({ script: { reply: REPLY, chunkWords: 2 } });
  answerTitleRequests(standin, "Load test chat");
  // 100 sign-ups come from this one machine: each reports its own client address (TRUST_PROXY), as through a proxy.
  app = await startAppServer({ port: 3510, databaseUrl: db.url, openrouterBaseUrl: standin.baseUrl });
});

afterAll(async () => {
  await app?.stop();
  await standin?.close();
  await db?.drop();
});

it(`serves ${USERS} concurrent users × ${MESSAGES} messages with no 5xx and stores every message once`, async () => {
  const url = app!.url;
  const signupStarted = performance.now();
  const chats = await inBatches(USERS, 10, async (i) => {
    const user = await signUp(url, { forwardedFor: `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}` });
    const project = await createProject(url, user);
    return { user, session: await createSession(url, user, project.id) };
  });
  const signupSeconds = (performance.now() - signupStarted) / 1000;

  const outcomes: StreamOutcome[] = [];
  const started = performance.now();
  await Promise.all(
    chats.map(async ({ user, session }, u) => {
      for (let m = 0; m < MESSAGES; m++) outcomes.push(await streamMessage(url, user, session.id, `User ${u}, message ${m}`));
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const statuses = new Map<number, number>();
  for (const o of outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
  const total = quantiles(outcomes.map((o) => o.totalMs));
  const headers = quantiles(outcomes.map((o) => o.headersMs));
  console.log(
    [
      `[resilience:load] ${USERS} users × ${MESSAGES} messages (signing up ${USERS} users: ${signupSeconds.toFixed(1)} s)`,
      `  ${outcomes.length} streams in ${seconds.toFixed(1)} s = ${(outcomes.length / seconds).toFixed(1)} replies/s; statuses ${[...statuses].map(([status, n]) => `${status}×${n}`).join(", ")}`,
      `  whole reply: p50 ${total.p50} ms, p95 ${total.p95} ms, max ${total.max} ms`,
      `  first byte:  p50 ${headers.p50} ms, p95 ${headers.p95} ms, max ${headers.max} ms`,
    ].join("\n"),
  );

  expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
  const unexpected = outcomes.filter((o) => o.status !== 200 || !o.done || o.error || o.text !== REPLY);
  expect(unexpected.map((o) => ({ status: o.status, error: o.error, text: o.text }))).toEqual([]);

  const sessionIds = chats.map((c) => c.session.id);
  const rows = await db!.sql<Array<{ role: string; status: string; count: number }>>`
    select role, status, count(*)::int as count from parley.messages where session_id in ${db!.sql(sessionIds)} group by role, status order by role`;
  expect(rows).toEqual([
    { role: "assistant", status: "complete", count: USERS * MESSAGES },
    { role: "user", status: "complete", count: USERS * MESSAGES },
  ]);
  const [{ stored }] = await db!.sql<Array<{ stored: number }>>`select count(*)::int as stored from parley.messages`;
  expect(stored).toBe(2 * USERS * MESSAGES);
  // One model call per message; each chat's first reply also asks for a title, in the background.
  expect(standin!.requests.filter((r) => !isTitleRequestBody(r.body)).length).toBe(USERS * MESSAGES);
});
