import net from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/support/app-server";
import { gate } from "@/tests/support/wait";
import { isTitleRequestBody } from "@/tests/support/title-requests";
import { startOpenRouterStandin, type OpenRouterStandin } from "@/tests/support/openrouter-standin";
import { createProject, createSession, signUp, streamMessage, type ApiUser } from "@/tests/support/rest-client";
import { parseSse, sseParser, streamedReply, type SseEvent } from "@/tests/support/sse";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";

/**
 * Live reattach across instances (#15): a reply generated on instance A, watched on instance B through the REST
 * reattach (`GET /api/v1/sessions/{id}/chat/stream`) — over PostgreSQL LISTEN/NOTIFY without Redis, over Redis
 * pub/sub with it —, stopped from the watching side, and the channel failing mid-way: never a 5xx, and the watcher
 * ends with what was stored.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const REPLY = Array.from({ length: 12 }, (_, i) => `w${i + 1}`).join(" ");
const HELD_TEXT = "w1 w2 w3 ";

let db: ThrowawayDatabase | undefined;
let standin: OpenRouterStandin | undefined;
const apps: AppServer[] = [];

beforeAll(async () => {
  db = await createThrowawayDatabase("parley_resil_reattach");
  standin = await startOpenRouterStandin({ script: { reply: REPLY, tokenDelayMs: 5 } });
  // A chat's title is asked for after its first reply: it must never take a reply's held script.
  standin.answer("titles", isTitleRequestBody);
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await standin?.close();
  await db?.drop();
});

async function pair(ports: [number, number], env: [Record<string, string>, Record<string, string>]) {
  const started: AppServer[] = [];
  for (const [i, port] of ports.entries()) {
    const app = await startAppServer({ port, databaseUrl: db!.url, openrouterBaseUrl: standin!.baseUrl, env: env[i] });
    apps.push(app);
    started.push(app);
  }
  return started as [AppServer, AppServer];
}

async function chatOf(app: AppServer): Promise<{ user: ApiUser; sessionId: string }> {
  const user = await signUp(app.url);
  const project = await createProject(app.url, user);
  const session = await createSession(app.url, user, project.id);
  return { user, sessionId: session.id };
}

/** Starts a reply on `app`, held after HELD_TEXT until the returned gate opens; resolves once it is held. */
async function heldReply(app: AppServer, user: ApiUser, sessionId: string) {
  const held = gate();
  standin!.once({ reply: REPLY, pause: { beforeChunk: 3, until: held.promise } });
  const seen = standin!.requests.length;
  const sent = streamMessage(app.url, user, sessionId, "count");
  await standin!.waitForRequests(seen + 1, 30_000);
  return { held, sent };
}

/** The watcher on `app`: its first text event is awaited here (the text so far); `rest()` reads to the end. */
async function watch(app: AppServer, user: ApiUser, sessionId: string, untilText = true) {
  const response = await fetch(`${app.url}/api/v1/sessions/${sessionId}/chat/stream`, { headers: user.headers });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const feed = sseParser();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  const readOne = async () => {
    const { value, done } = await reader.read();
    if (!done) events.push(...feed(decoder.decode(value, { stream: true })));
    return done;
  };
  while (untilText && !events.some((e) => e.event === "message")) if (await readOne()) break;
  return {
    first: streamedReply(events).text,
    rest: async () => {
      while (!(await readOne()));
      return streamedReply(events);
    },
  };
}

async function storedReply(sessionId: string) {
  const [row] = await db!.sql<{ content: string; status: string }[]>`
    select content, status from parley.messages where session_id = ${sessionId} and role = 'assistant' order by seq desc limit 1`;
  return row;
}

async function userMessages(sessionId: string) {
  const [row] = await db!.sql<{ n: number }[]>`
    select count(*)::int as n from parley.messages where session_id = ${sessionId} and role = 'user'`;
  return row!.n;
}

function shared(ports: [number, number], env: Record<string, string>) {
  let a: AppServer;
  let b: AppServer;
  beforeAll(async () => {
    [a, b] = await pair(ports, [env, env]);
  });

  it("a reply generated on A is watched on B: the text so far at once, then live, ending with what was stored", async () => {
    const { user, sessionId } = await chatOf(a);
    const { held, sent } = await heldReply(a, user, sessionId);
    const watcher = await watch(b, user, sessionId);
    // Before the model says another word: only the live channel can have brought it.
    expect(watcher.first).toBe(HELD_TEXT);
    held.open();
    const watched = await watcher.rest();
    expect(watched).toMatchObject({ text: REPLY, done: true, error: undefined });
    expect((await sent).text).toBe(REPLY);
    expect(await storedReply(sessionId)).toEqual({ content: REPLY, status: "complete" });
    // Nothing runs now: 204, on either instance.
    for (const app of [a, b])
      expect((await fetch(`${app.url}/api/v1/sessions/${sessionId}/chat/stream`, { headers: user.headers })).status).toBe(204);
  });

  it("Stop from the watching side (B) stops the reply generated on A; both see what was stored", async () => {
    const { user, sessionId } = await chatOf(a);
    const { sent } = await heldReply(a, user, sessionId);
    const watcher = await watch(b, user, sessionId);
    const stopped = await fetch(`${b.url}/api/chat/${sessionId}/stop`, { method: "POST", headers: user.headers });
    expect(stopped.status).toBe(200);
    expect(await stopped.json()).toMatchObject({ stopped: true, reply: { status: "incomplete" } });
    expect(await watcher.rest()).toMatchObject({ text: HELD_TEXT, done: true });
    expect((await sent).text).toBe(HELD_TEXT);
    expect(await storedReply(sessionId)).toEqual({ content: HELD_TEXT, status: "incomplete" });
  });

  it("a send retried on B after its answer from A was lost is the same turn: one message, the same reply", async () => {
    const { user, sessionId } = await chatOf(a);
    const id = randomUUID();
    const send = (app: AppServer) =>
      fetch(`${app.url}/api/chat`, {
        method: "POST",
        headers: { ...user.headers, "content-type": "application/json" },
        body: JSON.stringify({
          trigger: "submit-message",
          sessionId,
          message: { id, role: "user", parts: [{ type: "text", text: "count" }] },
        }),
      });
    const held = gate();
    standin!.once({ reply: REPLY, pause: { beforeChunk: 3, until: held.promise } });
    const first = await send(a);
    expect(first.status).toBe(200);
    await first.body!.cancel();
    const retry = await send(b);
    expect(retry.status).toBe(200);
    held.open();
    const deltas = (await parseSse(retry))
      .filter((e) => e.data !== "[DONE]")
      .map((e) => JSON.parse(e.data) as { type: string; delta?: string })
      .filter((c) => c.type === "text-delta")
      .map((c) => c.delta)
      .join("");
    expect(deltas).toBe(REPLY);
    expect(await userMessages(sessionId)).toBe(1);
  });
}

describe("two instances without Redis (PostgreSQL LISTEN/NOTIFY)", () => {
  shared([3326, 3327], {});
});

describe("two instances with Redis (pub/sub)", () => {
  const prefix = `parley-reattach-${randomUUID().slice(0, 8)}`;
  shared([3328, 3329], { REDIS_URL, RATE_LIMIT_PREFIX: prefix });

  it("Redis cut off mid-reply on the watching side: no error, the reply appears when it is stored", async () => {
    // B reaches Redis through a proxy the test cuts once B is following the reply live.
    const target = new URL(REDIS_URL);
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyPort = (proxy.address() as net.AddressInfo).port;
    const [a, b] = await pair(
      [3330, 3331],
      [
        { REDIS_URL, RATE_LIMIT_PREFIX: `${prefix}-cut` },
        { REDIS_URL: `redis://127.0.0.1:${proxyPort}`, RATE_LIMIT_PREFIX: `${prefix}-cut` },
      ],
    );
    try {
      const { user, sessionId } = await chatOf(a);
      const { held, sent } = await heldReply(a, user, sessionId);
      const watcher = await watch(b, user, sessionId);
      expect(watcher.first).toBe(HELD_TEXT);
      proxy.close();
      for (const s of sockets) s.destroy();
      held.open();
      expect(await watcher.rest()).toMatchObject({ text: REPLY, done: true, error: undefined });
      await sent;
      // A new watcher on B while Redis stays away: 200, and the reply once stored (here: at once, nothing runs).
      const { held: again, sent: sentAgain } = await heldReply(a, user, sessionId);
      const late = await watch(b, user, sessionId, false);
      again.open();
      expect(await late.rest()).toMatchObject({ text: REPLY, done: true, error: undefined });
      await sentAgain;
    } finally {
      proxy.close();
    }
  });
});
