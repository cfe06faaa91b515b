import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/support/app-server";
import { root } from "@/tests/support/next-server";
import { startOpenRouterStandin, type OpenRouterStandin } from "@/tests/support/openrouter-standin";
import { answerTitleRequests } from "@/tests/support/title-requests";
import { createProject, createSession, signUp, streamMessage, type ApiUser } from "@/tests/support/rest-client";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";
import { waitFor } from "@/tests/support/wait";

/**
 * #13 §3: on Vercel, the memory summary runs after the response has ended, kept alive by the platform's
 * `waitUntil` (what `after()` hands its work to). The built server runs with VERCEL=1 and a stand-in for the
 * request context Vercel's runtime provides (tests/support/vercel-request-context.mjs, preloaded), which Next
 * prefers to its own `waitUntil`. The summarizer's model call is held: the reply's stream has ended, the summary
 * is not written, and a promise given to the platform's `waitUntil` is still open; released, the summary is
 * written and that promise settles.
 */
let db: ThrowawayDatabase | undefined;
let standin: OpenRouterStandin | undefined;
let app: AppServer | undefined;

/** A port nobody listens on now (the resilience suite's fixed ports are other files'). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  db = await createThrowawayDatabase("parley_resil_wait_until");
  standin = await startOpenRouterStandin();
  answerTitleRequests(standin, "Sky colours");
  const preload = pathToFileURL(path.join(root, "tests", "support", "vercel-request-context.mjs")).href;
  app = await startAppServer({
    port: await freePort(),
    databaseUrl: db.url,
    openrouterBaseUrl: standin.baseUrl,
    env: { VERCEL: "1", NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${preload}`.trim() },
  });
});

afterAll(async () => {
  await app?.stop(2_000);
  await standin?.close();
  await db?.drop();
});

/** The promises handed to the platform's waitUntil that have not settled yet (the preload prints both events). */
function openWaitUntil(output: string): Set<string> {
  const open = new Set<string>();
  for (const [, n, event] of output.matchAll(/\[vercel-context\] waitUntil #(\d+) (received|settled)/g)) {
    if (event === "received") open.add(n!);
    else open.delete(n!);
  }
  return open;
}

async function memoryOf(user: ApiUser, sessionId: string): Promise<{ summary: string | null; status: string }> {
  const response = await fetch(`${app!.url}/api/v1/sessions/${sessionId}/memory`, { headers: user.headers });
  expect(response.status).toBe(200);
  return (await response.json()) as { summary: string | null; status: string };
}

it("#13 writes the summary after the response ended, inside a promise the platform's waitUntil holds", async () => {
  expect(app!.output()).toMatch(/\[parley\] database ready \(postgres\)/);
  const user = await signUp(app!.url);
  // A summary is due right after the first turn: 2 uncovered messages, none kept verbatim.
  const project = await createProject(app!.url, user, { memory_threshold: 2, memory_keep_recent: 0 });
  const session = await createSession(app!.url, user, project.id);

  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const seen = standin!.requests.length;
  standin!.once({ reply: "Noted: the sky is green here." });
  standin!.once({ reply: "The user says the sky is green.", pause: { beforeChunk: 0, until: held } });

  const outcome = await streamMessage(app!.url, user, session.id, "Remember: the sky is green here.");
  // The response is over: its body was read to the end.
  expect(outcome).toMatchObject({ status: 200, done: true, text: "Noted: the sky is green here." });

  // The summary is under way but held, so not written; what keeps it alive is with the platform.
  // The reply, then the title and the summary (both after the response, in either order).
  await standin!.waitForRequests(seen + 3, 30_000);
  expect((await memoryOf(user, session.id)).summary).toBeNull();
  const pending = openWaitUntil(app!.output());
  expect(pending.size, `no open waitUntil promise; the server printed:\n${app!.output().slice(-2000)}`).toBeGreaterThan(0);

  release();
  const memory = await waitFor(
    async () => {
      const current = await memoryOf(user, session.id);
      return current.summary ? current : undefined;
    },
    60_000,
    "the summary to be written",
  );
  expect(memory.summary).toBe("The user says the sky is green.");
  // The promise that was open while the summary was held settles once it is written.
  await waitFor(
    async () => ([...pending].every((n) => !openWaitUntil(app!.output()).has(n)) ? true : undefined),
    30_000,
    "the platform's waitUntil promises to settle",
  );
});
