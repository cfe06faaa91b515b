import { beforeEach, describe, expect, it } from "vitest";
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import * as chatStream from "@/app/api/v1/sessions/[id]/chat/stream/route";
import {
  createProjectRow,
  createSessionRow,
  gate,
  isSummarizer,
  isTitleRequest,
  parseSse,
  storedMessages,
  standinForFile,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";
import { streamedReply } from "@/tests/support/sse";

/**
 * #15 §3 over REST: a send the server stored before the connection dropped is not sent twice. The client names its
 * message (`client_message_id`, or the `Idempotency-Key` header); a retry under that name is the same turn: the
 * stored answer again, never a second user message nor a second model call.
 */
const standin = standinForFile();
beforeEach(() => standin().setScript({ reply: "Hello.", ttftMs: 0, tokenDelayMs: 0, failure: undefined, chunkWords: 1 }));

const REPLY = "one two three four five";
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const request = (path: string, body: unknown, headers: Record<string, string>) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const send = (sessionId: string, body: Record<string, unknown>, headers: Record<string, string>) =>
  chat.POST(request(`/api/v1/sessions/${sessionId}/chat`, body, headers), params(sessionId));
const sendStream = (sessionId: string, body: Record<string, unknown>, headers: Record<string, string>) =>
  chatStream.POST(request(`/api/v1/sessions/${sessionId}/chat/stream`, body, headers), params(sessionId));

/** The chat turns the stand-in was asked for (not titles or summaries, which run in the background). */
const modelCalls = () => standin().requests.filter((r) => !isTitleRequest(r) && !isSummarizer(r)).length;

async function setup() {
  const { user, headers } = await createTestUser();
  const project = await createProjectRow(user.id);
  const session = await createSessionRow(user.id, project.id);
  return { user, headers, project, session };
}

const turns = async (sessionId: string) => (await storedMessages(sessionId)).map((m) => [m.role, m.content]);

describe("a retried REST send (client_message_id)", () => {
  it("after the reply was stored: the same answer again, one user message, one model call", async () => {
    const { headers, session } = await setup();
    const calls = modelCalls();
    standin().once({ reply: REPLY, usage: { prompt_tokens: 7, completion_tokens: 5 } });
    const first = await send(session.id, { message: "count", client_message_id: "retry-1" }, headers);
    expect(first.status).toBe(200);
    const answer = await first.json();
    const again = await send(session.id, { message: "count", client_message_id: "retry-1" }, headers);
    expect(again.status).toBe(200);
    // Breaks if the id is not mapped to the stored message (scopedId): the retry would be a second turn, a second call.
    expect(modelCalls() - calls).toBe(1);
    expect(await again.json()).toEqual(answer);
    expect(await turns(session.id)).toEqual([
      ["user", "count"],
      ["assistant", REPLY],
    ]);
    expect(answer).toMatchObject({ response: REPLY, status: "complete", usage: { input_tokens: 7, output_tokens: 5 } });
  });

  it("over the stream: the stored reply as events, ending with [DONE]; the JSON route answers the same turn", async () => {
    const { headers, session } = await setup();
    const calls = modelCalls();
    standin().once({ reply: REPLY });
    const first = streamedReply(
      await parseSse(await sendStream(session.id, { message: "count", client_message_id: "s-1" }, headers)),
    );
    expect(first).toMatchObject({ text: REPLY, done: true });
    const retry = await sendStream(session.id, { message: "count", client_message_id: "s-1" }, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(streamedReply(await parseSse(retry))).toEqual({ text: REPLY, error: undefined, done: true });
    const json = await send(session.id, { message: "count", client_message_id: "s-1" }, headers);
    const [question, reply] = await storedMessages(session.id);
    expect(await json.json()).toMatchObject({ response: REPLY, message_id: reply!.id, user_message_id: question!.id });
    expect(modelCalls() - calls).toBe(1);
    expect(await turns(session.id)).toHaveLength(2);
  });

  it("while the reply is generated: JSON answers 409 conflict:generation, the stream follows it live; nothing twice", async () => {
    const { headers, session } = await setup();
    const calls = modelCalls();
    const held = gate();
    standin().once({ reply: REPLY, pause: { beforeChunk: 2, until: held.promise } });
    const first = send(session.id, { message: "count", client_message_id: "held-1" }, headers);
    await standin().waitForRequests(standin().requests.length + 1);
    const busy = await send(session.id, { message: "count", client_message_id: "held-1" }, headers);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ code: "conflict:generation" });
    const live = await sendStream(session.id, { message: "count", client_message_id: "held-1" }, headers);
    expect(live.status).toBe(200);
    held.open();
    expect(streamedReply(await parseSse(live))).toMatchObject({ text: REPLY, done: true });
    const answer = await (await first).json();
    const after = await send(session.id, { message: "count", client_message_id: "held-1" }, headers);
    expect(await after.json()).toEqual(answer);
    expect(modelCalls() - calls).toBe(1);
    expect(await turns(session.id)).toEqual([
      ["user", "count"],
      ["assistant", REPLY],
    ]);
  });

  it("the same id with another text is 422 validation:client_message_id; nothing stored, no model call", async () => {
    const { headers, session } = await setup();
    expect((await send(session.id, { message: "count", client_message_id: "same" }, headers)).status).toBe(200);
    const calls = modelCalls();
    for (const retry of [send, sendStream]) {
      const other = await retry(session.id, { message: "something else", client_message_id: "same" }, headers);
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ code: "validation:client_message_id" });
    }
    expect(modelCalls()).toBe(calls);
    expect(await turns(session.id)).toEqual([
      ["user", "count"],
      ["assistant", "Hello."],
    ]);
  });

  it("is scoped per chat: the same id in another chat of the caller is a new message there", async () => {
    const { user, headers, project, session } = await setup();
    const other = await createSessionRow(user.id, project.id);
    const calls = modelCalls();
    const a = await (await send(session.id, { message: "count", client_message_id: "shared" }, headers)).json();
    const b = await (await send(other!.id, { message: "count", client_message_id: "shared" }, headers)).json();
    expect(b.user_message_id).not.toBe(a.user_message_id);
    expect(b.message_id).not.toBe(a.message_id);
    expect(modelCalls() - calls).toBe(2);
    expect(await turns(session.id)).toHaveLength(2);
    expect(await turns(other!.id)).toHaveLength(2);
  });

  it("another user's chat is 404 not_found:session with or without the owner's id; nothing stored there", async () => {
    const { headers, session } = await setup();
    const intruder = await createTestUser();
    expect((await send(session.id, { message: "count", client_message_id: "mine" }, headers)).status).toBe(200);
    const calls = modelCalls();
    for (const retry of [send, sendStream]) {
      for (const id of ["mine", "theirs"]) {
        const answer = await retry(session.id, { message: "count", client_message_id: id }, intruder.headers);
        expect(answer.status).toBe(404);
        expect(await answer.json()).toMatchObject({ code: "not_found:session" });
      }
    }
    expect(modelCalls()).toBe(calls);
    expect(await turns(session.id)).toHaveLength(2);
  });

  it("a retry of a turn another message has followed is 409 conflict:message (nothing stored again)", async () => {
    const { headers, session } = await setup();
    await send(session.id, { message: "first", client_message_id: "old" }, headers);
    await send(session.id, { message: "second" }, headers);
    const calls = modelCalls();
    for (const retry of [send, sendStream]) {
      const late = await retry(session.id, { message: "first", client_message_id: "old" }, headers);
      expect(late.status).toBe(409);
      expect(await late.json()).toMatchObject({ code: "conflict:message" });
    }
    expect(modelCalls()).toBe(calls);
    expect(await turns(session.id)).toHaveLength(4);
  });

  it("a retry of a turn while a later message's reply is generated is not answered with that reply", async () => {
    const { headers, session } = await setup();
    await send(session.id, { message: "first", client_message_id: "earlier" }, headers);
    const held = gate();
    standin().once({ reply: REPLY, pause: { beforeChunk: 2, until: held.promise } });
    const later = send(session.id, { message: "second" }, headers);
    await standin().waitForRequests(standin().requests.length + 1);
    const calls = modelCalls();
    const stream = await sendStream(session.id, { message: "first", client_message_id: "earlier" }, headers);
    expect(stream.status).toBe(409);
    expect(await stream.json()).toMatchObject({ code: "conflict:message" });
    const json = await send(session.id, { message: "first", client_message_id: "earlier" }, headers);
    expect(json.status).toBe(409);
    expect(await json.json()).toMatchObject({ code: "conflict:generation" });
    held.open();
    expect((await later).status).toBe(200);
    expect(modelCalls()).toBe(calls);
    expect(await turns(session.id)).toHaveLength(4);
  });

  it("a failed reply's retry is the same 502, not a second call", async () => {
    const { headers, session } = await setup();
    const calls = modelCalls();
    standin().once({ failure: { kind: "http", status: 500 } });
    const first = await send(session.id, { message: "count", client_message_id: "fails" }, headers);
    expect(first.status).toBe(502);
    const { code } = (await first.json()) as { code: string };
    const again = await send(session.id, { message: "count", client_message_id: "fails" }, headers);
    expect(again.status).toBe(502);
    expect(await again.json()).toMatchObject({ code });
    expect(modelCalls() - calls).toBe(1);
    expect(await turns(session.id)).toHaveLength(2);
  });

  it("without an id, the same text twice is two turns, as before", async () => {
    const { headers, session } = await setup();
    const calls = modelCalls();
    for (let i = 0; i < 2; i++) expect((await send(session.id, { message: "count" }, headers)).status).toBe(200);
    expect(modelCalls() - calls).toBe(2);
    expect(await turns(session.id)).toHaveLength(4);
  });
});

describe("the Idempotency-Key header", () => {
  it("is the same as client_message_id: either names the same message", async () => {
    const { headers, session } = await setup();
    const calls = modelCalls();
    const first = await send(session.id, { message: "count" }, { ...headers, "Idempotency-Key": "key-1" });
    expect(first.status).toBe(200);
    const answer = await first.json();
    const byHeader = await send(session.id, { message: "count" }, { ...headers, "Idempotency-Key": "key-1" });
    expect(await byHeader.json()).toEqual(answer);
    const byBody = await send(session.id, { message: "count", client_message_id: "key-1" }, headers);
    expect(await byBody.json()).toEqual(answer);
    const both = await sendStream(
      session.id,
      { message: "count", client_message_id: "key-1" },
      { ...headers, "Idempotency-Key": "key-1" },
    );
    expect(streamedReply(await parseSse(both))).toMatchObject({ text: "Hello.", done: true });
    expect(modelCalls() - calls).toBe(1);
    expect(await turns(session.id)).toHaveLength(2);
  });

  it("is refused (422, nothing stored) when it differs from client_message_id, is too long, or comes with regenerate", async () => {
    const { headers, session } = await setup();
    const calls = modelCalls();
    const refused: [Record<string, unknown>, Record<string, string>][] = [
      [{ message: "count", client_message_id: "a" }, { "Idempotency-Key": "b" }],
      [{ message: "count" }, { "Idempotency-Key": "k".repeat(256) }],
      [{ regenerate: true }, { "Idempotency-Key": "c" }],
      [{ regenerate: true, client_message_id: "c" }, {}],
      [{ message: "count", client_message_id: "" }, {}],
    ];
    for (const [body, extra] of refused) {
      const answer = await send(session.id, body, { ...headers, ...extra });
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(await answer.json()).toMatchObject({ code: "validation:message" });
    }
    expect(modelCalls()).toBe(calls);
    expect(await turns(session.id)).toEqual([]);
  });
});
