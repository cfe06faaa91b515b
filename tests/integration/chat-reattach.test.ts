import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as chatStream from "@/app/api/v1/sessions/[id]/chat/stream/route";
import * as uiResume from "@/app/api/chat/[sessionId]/stream/route";
import * as stop from "@/app/api/chat/[sessionId]/stop/route";
import * as uiChat from "@/app/api/chat/route";
import { getLiveChannel, setLiveChannel, type LiveChannel } from "@/lib/chat/live/channel";
import { createMemoryChannel } from "@/lib/chat/live/memory-channel";
import { createPostgresChannel } from "@/lib/chat/live/postgres-channel";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import type { OpenRouterStandin } from "@/tests/support/openrouter-standin";
import {
  createProjectRow,
  createSessionRow,
  gate,
  parseSse,
  storedMessages,
  useStandin,
  waitFor,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";
import { sseParser, streamedReply } from "@/tests/support/sse";

/**
 * Reattach (#15): a reply being generated, watched from a second connection (a reload, another tab or device) through
 * the live channel this database configuration chooses (in-process on PGlite, LISTEN/NOTIFY on PostgreSQL).
 */
let standin: OpenRouterStandin;
beforeAll(async () => {
  standin = await useStandin();
});
afterAll(() => standin.close());
beforeEach(() => standin.setScript({ reply: "Hello.", ttftMs: 0, tokenDelayMs: 0, failure: undefined, chunkWords: 1 }));
afterEach(() => setLiveChannel(undefined));

const REPLY = "one two three four five six seven eight";
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const sessionParams = (sessionId: string) => ({ params: Promise.resolve({ sessionId }) });
const get = (path: string, headers: Record<string, string>) => new Request(`http://localhost${path}`, { headers });

async function setup() {
  const { user, headers, token } = await createTestUser();
  const project = await createProjectRow(user.id);
  const session = await createSessionRow(user.id, project.id);
  return { user, headers, token, session };
}

/** Starts REST generation held after the third word; resolves once the sender has read those words. */
async function heldReply(sessionId: string, headers: Record<string, string>) {
  const held = gate();
  standin.once({ reply: REPLY, pause: { beforeChunk: 3, until: held.promise } });
  const response = await chatStream.POST(
    new Request(`http://localhost/api/v1/sessions/${sessionId}/chat/stream`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ message: "count" }),
    }),
    params(sessionId),
  );
  // The sender reads on in the background (what it reads is what a first tab showed).
  const sender = parseSse(response).then(streamedReply);
  return { held, sender };
}

const reattach = (sessionId: string, headers: Record<string, string>) =>
  chatStream.GET(get(`/api/v1/sessions/${sessionId}/chat/stream`, headers), params(sessionId));

/** Reads SSE events until one whose data satisfies `until`; returns them and a reader for the rest. */
async function readUntil(response: Response, until: (text: string) => boolean) {
  const reader = response.body!.getReader();
  const feed = sseParser();
  const decoder = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  let text = "";
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const event of feed(decoder.decode(value, { stream: true }))) {
      events.push(event);
      if (event.event === "message" && event.data !== "[DONE]") text += event.data;
    }
  }
  const rest = async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      events.push(...feed(decoder.decode(value, { stream: true })));
    }
  };
  return { events, text: () => text, rest };
}

describe("reattach over REST", () => {
  it("sends the text so far at once, then the rest live, ending with what was stored", async () => {
    const { headers, session } = await setup();
    const { held, sender } = await heldReply(session.id, headers);
    const watcher = await reattach(session.id, headers);
    expect(watcher.status).toBe(200);
    // The first event is the text so far, before the model says another word.
    const first = await readUntil(watcher, (text) => text.length > 0);
    expect(first.text()).toBe("one two three ");
    held.open();
    const reply = streamedReply(await first.rest());
    expect(reply.done).toBe(true);
    expect(reply.text).toBe(REPLY);
    expect((await sender).text).toBe(REPLY);
    const stored = await storedMessages(session.id);
    expect(stored.at(-1)).toMatchObject({ role: "assistant", content: REPLY, status: "complete" });
  });

  it("resumes after Last-Event-ID, with event ids counting the reply's length", async () => {
    const { headers, session } = await setup();
    const { held, sender } = await heldReply(session.id, headers);
    const watcher = await chatStream.GET(
      get(`/api/v1/sessions/${session.id}/chat/stream`, { ...headers, "Last-Event-ID": "4" }),
      params(session.id),
    );
    const first = await readUntil(watcher, (text) => text.length > 0);
    expect(first.text()).toBe("two three ");
    held.open();
    const events = await first.rest();
    expect(streamedReply(events).text).toBe(REPLY.slice(4));
    await sender;
  });

  it("answers 204 when nothing is generated and 404 for another user's chat", async () => {
    const { headers, session } = await setup();
    expect((await reattach(session.id, headers)).status).toBe(204);
    const other = await createTestUser();
    const { held, sender } = await heldReply(session.id, headers);
    const foreign = await reattach(session.id, other.headers);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ code: "not_found:session" });
    held.open();
    await sender;
  });

  it("lets a watcher Stop the reply, and shows what was stored as incomplete", async () => {
    const { headers, session } = await setup();
    const { sender } = await heldReply(session.id, headers);
    const watcher = await reattach(session.id, headers);
    const first = await readUntil(watcher, (text) => text.length > 0);
    const cookie = { cookie: `${ACCESS_COOKIE}=${headers.authorization!.replace(/^Bearer /, "")}` };
    const stopped = await stop.POST(
      new Request(`http://localhost/api/chat/${session.id}/stop`, { method: "POST", headers: cookie }),
      sessionParams(session.id),
    );
    expect(stopped.status).toBe(200);
    const reply = streamedReply(await first.rest());
    expect(reply.done).toBe(true);
    expect(reply.text).toBe("one two three ");
    await sender;
    const stored = await storedMessages(session.id);
    expect(stored.at(-1)).toMatchObject({ role: "assistant", content: "one two three ", status: "incomplete" });
  });

  it("falls back to the stored reply when the channel is down (no error, the whole text at the end)", async () => {
    const { headers, session } = await setup();
    const { held, sender } = await heldReply(session.id, headers);
    const down: LiveChannel = {
      kind: "redis",
      publish: async () => {},
      subscribe: () => Promise.reject(new Error("ECONNREFUSED")),
      close: async () => {},
    };
    setLiveChannel(down);
    const watcher = await reattach(session.id, headers);
    expect(watcher.status).toBe(200);
    held.open();
    const reply = streamedReply(await parseSse(watcher));
    expect(reply).toMatchObject({ text: REPLY, done: true, error: undefined });
    await sender;
  });
});

describe("reattach for the chat screen (useChat resume)", () => {
  it("replays the reply under its stored id, then ends with its stored status", async () => {
    const { headers, session } = await setup();
    const cookie = { cookie: `${ACCESS_COOKIE}=${headers.authorization!.replace(/^Bearer /, "")}` };
    const { held, sender } = await heldReply(session.id, headers);
    const response = await uiResume.GET(get(`/api/chat/${session.id}/stream`, cookie), sessionParams(session.id));
    expect(response.status).toBe(200);
    held.open();
    const chunks = (await parseSse(response))
      .filter((e) => e.data !== "[DONE]")
      .map((e) => JSON.parse(e.data) as Record<string, unknown>);
    await sender;
    const stored = (await storedMessages(session.id)).at(-1)!;
    expect(chunks[0]).toMatchObject({ type: "start", messageId: stored.id });
    expect(
      chunks
        .filter((c) => c.type === "text-delta")
        .map((c) => c.delta)
        .join(""),
    ).toBe(REPLY);
    expect(chunks.at(-1)).toMatchObject({ type: "finish", messageMetadata: { status: "complete" } });
    expect((await uiResume.GET(get(`/api/chat/${session.id}/stream`, cookie), sessionParams(session.id))).status).toBe(204);
  });
});

describe("a send whose answer was lost (#15: the retry is the same turn)", () => {
  const send = (sessionId: string, messageId: string, cookie: Record<string, string>) =>
    uiChat.POST(
      new Request("http://localhost/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json", ...cookie },
        body: JSON.stringify({
          trigger: "submit-message",
          sessionId,
          message: { id: messageId, role: "user", parts: [{ type: "text", text: "count" }] },
        }),
      }),
    );
  const textOf = async (response: Response) =>
    (await parseSse(response))
      .filter((e) => e.data !== "[DONE]")
      .map((e) => JSON.parse(e.data) as { type: string; delta?: string })
      .filter((c) => c.type === "text-delta")
      .map((c) => c.delta)
      .join("");

  it("a retry while the reply streams follows it live; once stored it gets the stored reply; one message each", async () => {
    const { headers, session } = await setup();
    const cookie = { cookie: `${ACCESS_COOKIE}=${headers.authorization!.replace(/^Bearer /, "")}` };
    const held = gate();
    standin.once({ reply: REPLY, pause: { beforeChunk: 3, until: held.promise } });
    const first = await send(session.id, "client-1", cookie);
    expect(first.status).toBe(200);
    void first.body!.cancel(); // the connection dropped: the server generates on
    await standin.waitForRequests(1);
    const retry = await send(session.id, "client-1", cookie);
    expect(retry.status).toBe(200);
    held.open();
    expect(await textOf(retry)).toBe(REPLY);
    const again = await send(session.id, "client-1", cookie);
    expect(again.status).toBe(200);
    expect(await textOf(again)).toBe(REPLY);
    // The screen's resume after a dropped stream names the message it sent; a page that opened on the question
    // before its reply was stored names the question's stored id.
    const resumed = await uiResume.GET(get(`/api/chat/${session.id}/stream?after=client-1`, cookie), sessionParams(session.id));
    expect(await textOf(resumed)).toBe(REPLY);
    const question = (await storedMessages(session.id))[0]!;
    const opened = await uiResume.GET(
      get(`/api/chat/${session.id}/stream?reply_to=${question.id}`, cookie),
      sessionParams(session.id),
    );
    expect(await textOf(opened)).toBe(REPLY);
    // Without naming it, nothing runs: 204.
    expect((await uiResume.GET(get(`/api/chat/${session.id}/stream`, cookie), sessionParams(session.id))).status).toBe(204);
    expect((await storedMessages(session.id)).map((m) => [m.role, m.content])).toEqual([
      ["user", "count"],
      ["assistant", REPLY],
    ]);
  });
});

describe("the live channel", () => {
  // A publisher and a subscriber: one process's channel in-process, two connections (as two instances) otherwise.
  const channels: [string, () => [LiveChannel, LiveChannel]][] = [
    [
      "in-process",
      () => {
        const one = createMemoryChannel();
        return [one, one];
      },
    ],
  ];
  const url = process.env.DATABASE_URL;
  if (url) channels.push(["PostgreSQL LISTEN/NOTIFY", () => [createPostgresChannel(url), createPostgresChannel(url)]]);

  it.each(channels)("%s delivers messages in order, a long one (over NOTIFY's 8000 bytes) whole", async (_, make) => {
    const [publisher, subscriber] = make();
    try {
      const got: string[] = [];
      const off = await subscriber.subscribe("live:t1", (m) => got.push(m));
      const long = "é😀x".repeat(5_000);
      for (const message of ["a", long, "b"]) await publisher.publish("live:t1", message);
      await waitFor(async () => (got.length === 3 ? true : undefined), 5_000, "three messages");
      expect(got).toEqual(["a", long, "b"]);
      off();
    } finally {
      await Promise.all([...new Set([publisher, subscriber])].map((c) => c.close()));
    }
  });

  it("is the one this database calls for", () => {
    expect(getLiveChannel().kind).toBe(process.env.DATABASE_URL ? "postgres" : "memory");
  });
});
