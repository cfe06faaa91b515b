import { listActivePath } from "@/lib/db/queries/messages";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import * as chatStream from "@/app/api/v1/sessions/[id]/chat/stream/route";
import * as uiChat from "@/app/api/chat/route";
import * as stop from "@/app/api/chat/[sessionId]/stop/route";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import type { OpenRouterStandin } from "@/tests/support/openrouter-standin";
import {
  createProjectRow,
  createSessionRow,
  gate,
  parseSse,
  expectStoredFailure,
  storedMessages,
  useStandin,
  waitFor,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";
import { streamedReply } from "@/tests/support/sse";

let standin: OpenRouterStandin;
beforeAll(async () => {
  standin = await useStandin({ MODEL_STALL_TIMEOUT_MS: "2000" });
});
afterAll(() => standin.close());
beforeEach(() => standin.setScript({ reply: "Hello.", ttftMs: 0, tokenDelayMs: 0, failure: undefined, chunkWords: 1 }));

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (path: string, body: unknown, headers: Record<string, string>) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** Sends "go" to the session's REST stream route. */
const streamGo = (sessionId: string, headers: Record<string, string>) =>
  chatStream.POST(post(`/api/v1/sessions/${sessionId}/chat/stream`, { message: "go" }, headers), params(sessionId));

async function setup() {
  const { user, headers, token } = await createTestUser();
  const project = await createProjectRow(user.id);
  const session = await createSessionRow(user.id, project.id);
  return { user, headers, token, session };
}

/** Sends "long please" through the UI route to a slow reply, and returns the stream once the text has begun. */
async function startSlowUiReply(sessionId: string, messageId: string, cookie: Record<string, string>) {
  standin.once({ reply: "a b c d e f g h i j k l m n o p q r s t", tokenDelayMs: 50 });
  const response = await uiChat.POST(
    post(
      "/api/chat",
      {
        trigger: "submit-message",
        sessionId,
        message: { id: messageId, role: "user", parts: [{ type: "text", text: "long please" }] },
      },
      cookie,
    ),
  );
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("text-delta")) seen += decoder.decode((await reader.read()).value);
  return reader;
}

describe("REST chat (JSON)", () => {
  it("stores the user message before the model is called, and answers with the stored messages' ids", async () => {
    const { headers, session } = await setup();
    const firstToken = gate();
    standin.once({ reply: "Held reply.", pause: { beforeChunk: 0, until: firstToken.promise } });
    const seen = standin.requests.length;
    const answer = chat.POST(
      post(`/api/v1/sessions/${session.id}/chat`, { message: "Stored first?" }, headers),
      params(session.id),
    );
    await standin.waitForRequests(seen + 1);
    // The model has the question and has not answered yet: an upstream failure from here on must not lose it.
    try {
      expect((await storedMessages(session.id)).map((m) => [m.role, m.content])).toEqual([["user", "Stored first?"]]);
    } finally {
      firstToken.open();
    }
    const response = await answer;
    expect(response.status).toBe(200);
    const rows = await storedMessages(session.id);
    expect(rows.map((m) => [m.role, m.content])).toEqual([
      ["user", "Stored first?"],
      ["assistant", "Held reply."],
    ]);
    expect(await response.json()).toMatchObject({
      response: "Held reply.",
      status: "complete",
      user_message_id: rows[0].id,
      message_id: rows[1].id,
    });
  });
});

describe("REST chat stream (SSE)", () => {
  it("frames every delta as one event, multi-line deltas as several data lines, and ends with [DONE]", async () => {
    const { headers, session } = await setup();
    const reply = "Line one\nline two\n\n- item\n  indented\r\nlast";
    standin.once({ reply, chunkWords: 3 });
    const response = await streamGo(session.id, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    // The phases before the first token, in order, for `npm run bench` and devtools.
    expect([...(response.headers.get("server-timing") ?? "").matchAll(/(\w+);dur=[\d.]+/g)].map((m) => m[1])).toEqual([
      "auth",
      "body",
      "load",
      "model",
      "claim",
      "history",
      "call",
      "upstream",
      "total",
    ]);
    const events = await parseSse(response);
    expect(events.at(-1)).toEqual({ event: "message", data: "[DONE]" });
    const text = events
      .slice(0, -1)
      .map((e) => e.data)
      .join("");
    expect(text).toBe(reply.replace(/\r\n/g, "\n"));
    expect(events.length).toBeGreaterThan(3);
    const rows = await storedMessages(session.id);
    expect(rows[1]).toMatchObject({ status: "complete", content: reply });
  });

  it("answers 502 JSON when the upstream fails before the first token, with both messages stored", async () => {
    const { headers, session } = await setup();
    standin.once({ failure: { kind: "http", status: 500, message: "internal upstream secret" } });
    const response = await streamGo(session.id, headers);
    expect(response.status).toBe(502);
    const body = await response.json();
    expect(body.code).toBe("upstream:model");
    expect(JSON.stringify(body)).not.toContain("secret");
    const rows = await storedMessages(session.id);
    expect(rows.map((r) => [r.role, r.status])).toEqual([
      ["user", "complete"],
      ["assistant", "error"],
    ]);
    // The non-streaming route: 502 too, never a 200 carrying an error as text.
    standin.once({ failure: { kind: "http", status: 503 } });
    const plain = await chat.POST(post(`/api/v1/sessions/${session.id}/chat`, { message: "again" }, headers), params(session.id));
    expect(plain.status).toBe(502);
  });

  it("sends event: error then [DONE] when the stream fails midway, and stores the partial reply as error", async () => {
    const { headers, session } = await setup();
    standin.once({ reply: "alpha beta gamma delta", failure: { kind: "mid-stream", afterChunks: 2 } });
    const events = await parseSse(await streamGo(session.id, headers));
    const error = events.find((e) => e.event === "error");
    expect(error).toBeDefined();
    expect(JSON.parse(error!.data)).toMatchObject({ code: "upstream:model" });
    expect(events.at(-1)!.data).toBe("[DONE]");
    expect(
      events
        .filter((e) => e.event === "message" && e.data !== "[DONE]")
        .map((e) => e.data)
        .join(""),
    ).toBe("alpha beta ");
    expect((await storedMessages(session.id))[1]).toMatchObject({ status: "error", content: "alpha beta " });
  });

  it("reports a stalled upstream as an error event and stores what arrived", async () => {
    const { headers, session } = await setup();
    standin.once({ reply: "one two three", failure: { kind: "stall", afterChunks: 1 } });
    const events = await parseSse(await streamGo(session.id, headers));
    expect(JSON.parse(events.find((e) => e.event === "error")!.data).code).toBe("upstream:stall");
    await expectStoredFailure(session.id, "upstream:stall", "one ");
  });

  it("survives a malformed upstream frame, and the client sees the text and status that are stored", async () => {
    const { headers, session } = await setup();
    standin.once({ reply: "fine words here", failure: { kind: "malformed", afterChunks: 1 } });
    const events = await parseSse(await streamGo(session.id, headers));
    const seen = streamedReply(events);
    const stored = (await storedMessages(session.id))[1];
    // The provider reports the bad frame and carries on: the whole reply is stored, and no garbage with it.
    expect(stored.content).toBe("fine words here");
    // A client that stopped at the error frame would hold "fine " while the chat's history says more.
    expect(seen).toMatchObject({ text: stored.content, done: true });
    expect(seen.error ? "error" : "complete").toBe(stored.status);
    expect(seen.error?.code ?? null).toBe(stored.errorCode);
  });

  it("keeps generating when the client goes away, and stores the reply complete", async () => {
    const { headers, session } = await setup();
    const reply = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10";
    standin.once({ reply, tokenDelayMs: 40 });
    const response = await streamGo(session.id, headers);
    const reader = response.body!.getReader();
    await reader.read(); // the first token arrived…
    await reader.cancel(); // …and the tab closed.
    const stored = await waitFor(async () => (await storedMessages(session.id)).find((m) => m.role === "assistant"));
    expect(stored).toMatchObject({ status: "complete", content: reply });
  });

  it("refuses a second concurrent send with 409 and stores nothing twice", async () => {
    const { headers, session } = await setup();
    standin.once({ reply: "slow one", ttftMs: 400 });
    const first = chatStream.POST(
      post(`/api/v1/sessions/${session.id}/chat/stream`, { message: "first" }, headers),
      params(session.id),
    );
    await standin.waitForRequests(standin.requests.length + 1);
    const second = await chat.POST(
      post(`/api/v1/sessions/${session.id}/chat`, { message: "second" }, headers),
      params(session.id),
    );
    expect(second.status).toBe(409);
    expect((await second.json()).code).toBe("conflict:generation");
    await parseSse(await first);
    expect((await storedMessages(session.id)).map((m) => m.content)).toEqual(["first", "slow one"]);
  });
});

describe("UI chat route", () => {
  it("streams a UI message stream whose reply id is the stored id, with model and usage metadata", async () => {
    const { token, session } = await setup();
    const cookie = { cookie: `${ACCESS_COOKIE}=${token}` };
    const userId = crypto.randomUUID();
    standin.once({ reply: "UI reply.", usage: { prompt_tokens: 9, completion_tokens: 2 }, cost: 0.00000042 });
    const response = await uiChat.POST(
      post(
        "/api/chat",
        {
          trigger: "submit-message",
          sessionId: session.id,
          message: { id: userId, role: "user", parts: [{ type: "text", text: "From the UI" }] },
        },
        cookie,
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    // Not compressed by `next start` (gzip holds tokens back), and the phases before the model call are reported.
    expect(response.headers.get("cache-control")).toContain("no-transform");
    expect(response.headers.get("server-timing")).toMatch(/claim;dur=[\d.]+.*total;dur=/);
    const chunks = (await parseSse(response)).filter((e) => e.data !== "[DONE]").map((e) => JSON.parse(e.data));
    const start = chunks.find((c) => c.type === "start");
    const finish = chunks.find((c) => c.type === "finish");
    expect(
      chunks
        .filter((c) => c.type === "text-delta")
        .map((c) => c.delta)
        .join(""),
    ).toBe("UI reply.");
    const rows = await storedMessages(session.id);
    // Stored under an id scoped to the session (tests/integration/security-chat-ids.test.ts), not the client's.
    expect(rows[0]).toMatchObject({ role: "user", content: "From the UI" });
    expect(rows[0].id).not.toBe(userId);
    expect(start.messageId).toBe(rows[1].id);
    expect(start.messageMetadata).toMatchObject({ model: session.model });
    // The cost OpenRouter reported (here 4.2e-7, which String() would spell in exponent form) as exact decimal text.
    expect(finish.messageMetadata).toMatchObject({
      status: "complete",
      usage: { input_tokens: 9, output_tokens: 2, cost: "0.00000042" },
    });
    expect(rows[1].cost).toBe("0.00000042");
  });

  it("Stop through the stop route stores the partial reply as incomplete", async () => {
    const { token, session } = await setup();
    const cookie = { cookie: `${ACCESS_COOKIE}=${token}` };
    const reader = await startSlowUiReply(session.id, "not-a-uuid", cookie);
    const stopped = await stop.POST(post(`/api/chat/${session.id}/stop`, {}, cookie), {
      params: Promise.resolve({ sessionId: session.id }),
    });
    while (!(await reader.read()).done);
    const reply = await waitFor(async () => (await storedMessages(session.id)).find((m) => m.role === "assistant"));
    expect(reply.status).toBe("incomplete");
    // The stop answers with the stored reply, so a screen that stopped before the first word can show it.
    expect(await stopped.json()).toEqual({ stopped: true, reply: { id: reply.id, status: "incomplete" } });
    expect(reply.content.length).toBeLessThan(39);
    const stranger = await createTestUser();
    const foreign = await stop.POST(post(`/api/chat/${session.id}/stop`, {}, stranger.headers), {
      params: Promise.resolve({ sessionId: session.id }),
    });
    expect(foreign.status).toBe(404);
  });

  it("Regenerate right after Stop answers again: no 409, the stopped reply kept as a version off the path", async () => {
    const { token, session } = await setup();
    const cookie = { cookie: `${ACCESS_COOKIE}=${token}` };
    const reader = await startSlowUiReply(session.id, crypto.randomUUID(), cookie);
    // The browser stops reading at once; the stop route answers only once the stopped reply is stored.
    void reader.cancel();
    await stop.POST(post(`/api/chat/${session.id}/stop`, {}, cookie), { params: Promise.resolve({ sessionId: session.id }) });
    expect((await storedMessages(session.id)).map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "incomplete"],
    ]);
    standin.once({ reply: "A fresh answer." });
    const regenerated = await uiChat.POST(post("/api/chat", { trigger: "regenerate-message", sessionId: session.id }, cookie));
    expect(regenerated.status).toBe(200);
    await parseSse(regenerated);
    const stored = await storedMessages(session.id);
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "incomplete"],
      ["assistant", "complete"],
    ]);
    expect((await listActivePath(session.ownerId, session.id)).map((m) => [m.role, m.status, m.content])).toEqual([
      ["user", "complete", "long please"],
      ["assistant", "complete", "A fresh answer."],
    ]);
  });

  it("regenerate answers again and keeps the last reply as a version; anonymous is 401; empty text is 422", async () => {
    const { token, session } = await setup();
    const cookie = { cookie: `${ACCESS_COOKIE}=${token}` };
    const send = (body: unknown, headers = cookie) => uiChat.POST(post("/api/chat", body, headers));
    await parseSse(
      await send({
        trigger: "submit-message",
        sessionId: session.id,
        message: { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "Q" }] },
      }),
    );
    standin.once({ reply: "Second take." });
    await parseSse(await send({ trigger: "regenerate-message", sessionId: session.id }));
    await waitFor(async () => ((await storedMessages(session.id)).at(-1)?.content === "Second take." ? true : undefined));
    expect((await listActivePath(session.ownerId, session.id)).map((m) => m.content)).toEqual(["Q", "Second take."]);
    expect(await storedMessages(session.id)).toHaveLength(3);
    expect(
      (
        await send({
          trigger: "submit-message",
          sessionId: session.id,
          message: { id: "x", role: "user", parts: [{ type: "text", text: "  " }] },
        })
      ).status,
    ).toBe(422);
    expect((await send({ trigger: "regenerate-message", sessionId: session.id }, {} as typeof cookie)).status).toBe(401);
  });
});
