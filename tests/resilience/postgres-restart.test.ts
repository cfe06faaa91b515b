import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/support/app-server";
import { startOpenRouterStandin, type OpenRouterStandin } from "@/tests/support/openrouter-standin";
import { createProject, createSession, signUp, streamMessage } from "@/tests/support/rest-client";
import {
  createThrowawayDatabase,
  startPrivateCluster,
  type PrivateCluster,
  type ThrowawayDatabase,
} from "@/tests/support/throwaway-postgres";
import { waitFor } from "@/tests/support/wait";

/**
 * PostgreSQL restarted in the middle of a conversation (a private throwaway cluster: the machine's shared server
 * is never touched). /health goes 503 then 200, a send while it is down is a readable 503, the reply that was
 * streaming when it went down is stored once it is back, the same process carries on, and every message the API
 * acknowledged is in the database.
 */
const REPLY = "steady words arriving one by one while the database comes and goes";
/** Logged by lib/db/retry.ts when a write first finds the database unreachable. */
const RETRYING = "[parley] the database is unreachable: retrying a write";

let cluster: PrivateCluster | undefined;
let db: ThrowawayDatabase | undefined;
let standin: OpenRouterStandin | undefined;
let app: AppServer | undefined;

beforeAll(async () => {
  cluster = await startPrivateCluster(3529);
  db = await createThrowawayDatabase("parley_resil_restart", cluster.url);
  standin = await startOpenRouterStandin({ script: { reply: REPLY, tokenDelayMs: 20 } });
  app = await startAppServer({ port: 3516, databaseUrl: db.url, openrouterBaseUrl: standin.baseUrl });
});

afterAll(async () => {
  await app?.stop();
  await standin?.close();
  await db?.sql.end({ timeout: 1 }).catch(() => {});
  cluster?.destroy(); // drops the whole cluster, the database with it
});

const health = (url: string) =>
  fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.status,
    () => 0,
  );

it("recovers from a PostgreSQL restart mid-conversation without losing an acknowledged message", async () => {
  const url = app!.url;
  const user = await signUp(url);
  const project = await createProject(url, user);
  const session = await createSession(url, user, project.id);
  const acknowledged: string[] = [];
  const send = async (text: string) => {
    const outcome = await streamMessage(url, user, session.id, text);
    if (outcome.status === 200) acknowledged.push(text);
    return outcome;
  };

  for (const text of ["before 1", "before 2"]) expect(await send(text)).toMatchObject({ status: 200, done: true, text: REPLY });

  // A reply streams; the database goes down under it (the stand-in holds the rest of the reply until then).
  let resume!: () => void;
  standin!.once({ pause: { beforeChunk: 2, until: new Promise<void>((resolve) => (resume = resolve)) } });
  let received = "";
  let ended = false;
  const inFlight = streamMessage(url, user, session.id, "during", (event) => {
    if (event.event !== "message") return;
    if (event.data === "[DONE]") ended = true;
    else received += event.data;
  });
  await waitFor(async () => (received ? true : undefined), 60_000, "the first words of the reply");
  acknowledged.push("during");
  await cluster!.stop();

  expect(await waitFor(async () => ((await health(url)) === 503 ? 503 : undefined), 60_000, "/health to say 503")).toBe(503);
  // Sends meanwhile: a readable 503, nothing half-done.
  const refused = await streamMessage(url, user, session.id, "while down");
  expect({ status: refused.status, code: refused.error?.code }).toEqual({ status: 503, code: "unavailable:database" });
  expect(refused.error?.detail).toMatch(/try again/);
  resume();
  // The whole reply reaches the client while the database is down; the stream stays open, because the reply
  // cannot be stored yet (it is not lost: the write waits for the database). The server says when its first
  // write failed: the stream must still be open after that.
  await waitFor(async () => (received === REPLY ? true : undefined), 60_000, "the whole reply to arrive");
  await waitFor(
    async () => (app!.output().includes(RETRYING) ? true : undefined),
    60_000,
    "the server to retry storing the reply",
  );
  expect(ended).toBe(false);

  await cluster!.start();
  expect(await waitFor(async () => ((await health(url)) === 200 ? 200 : undefined), 60_000, "/health to say 200 again")).toBe(
    200,
  );

  // The reply that streamed through the outage ends normally, and is stored.
  expect(await inFlight).toMatchObject({ status: 200, done: true, text: REPLY, error: undefined });
  expect(app!.output()).not.toContain("storing the reply");
  for (const text of ["after 1", "after 2"]) expect(await send(text)).toMatchObject({ status: 200, done: true, text: REPLY });
  expect(app!.process.exitCode).toBeNull(); // the same process, never restarted

  const rows = await db!.sql<Array<{ seq: number; role: string; status: string; content: string }>>`
    select seq, role, status, content from parley.messages where session_id = ${session.id} order by seq`;
  expect(rows.filter((r) => r.role === "user").map((r) => r.content)).toEqual(acknowledged);
  expect(rows.map((r) => [r.seq, r.role, r.status])).toEqual(
    acknowledged.flatMap((_, i) => [
      [2 * i + 1, "user", "complete"],
      [2 * i + 2, "assistant", "complete"],
    ]),
  );
  expect(rows.filter((r) => r.role === "assistant").every((r) => r.content === REPLY)).toBe(true);
});
