import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "@/lib/config/env";
import { resolveNewChat } from "@/lib/chats/service";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as collection from "@/app/api/v1/sessions/route";
import * as item from "@/app/api/v1/sessions/[id]/route";
import * as history from "@/app/api/v1/sessions/[id]/history/route";
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import * as chatStream from "@/app/api/v1/sessions/[id]/chat/stream/route";
import { appendMessage } from "@/lib/db/queries/messages";
import type { OpenRouterStandin } from "@/tests/support/openrouter-standin";
import { createProjectRow, STANDIN_MODEL, useStandin } from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";

let standin: OpenRouterStandin;
beforeAll(async () => {
  standin = await useStandin();
});
afterAll(() => standin.close());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const url = (path: string) => `http://localhost/api/v1/sessions${path}`;

async function createSession(headers: Record<string, string>, body: Record<string, unknown>) {
  return collection.POST(new Request(url(""), json(body, headers)));
}

describe("REST sessions", () => {
  it("creates with the title given, a registry model, and lists most recently active first with a cursor", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id);
    const a = await createSession(headers, { project_id: project.id, title: "Trip to Lisbon", chat_model: STANDIN_MODEL });
    expect(a.status).toBe(201);
    const created = await a.json();
    expect(created).toMatchObject({
      project_id: project.id,
      title: "Trip to Lisbon",
      model: STANDIN_MODEL,
      message_count: 0,
      generating: false,
      memory: { status: "none" },
    });
    expect(created.created_at).toMatch(/Z$/);

    const b = await (await createSession(headers, { project_id: project.id })).json();
    expect(b.title).toBe("New Chat");
    // With an OpenRouter key configured, the platform default is the first OpenRouter model.
    expect(b.model).toBe(STANDIN_MODEL);

    // Activity moves a to the top.
    await appendMessage(user.id, created.id, { role: "user", content: "hello" });
    const first = await collection.GET(new Request(url(`?project_id=${project.id}&limit=1`), { headers }));
    expect(first.status).toBe(200);
    expect((await first.json()).map((s: { id: string }) => s.id)).toEqual([created.id]);
    const cursor = first.headers.get("x-next-cursor");
    expect(cursor).toBeTruthy();
    const second = await collection.GET(new Request(url(`?project_id=${project.id}&limit=1&cursor=${cursor}`), { headers }));
    expect((await second.json()).map((s: { id: string }) => s.id)).toEqual([b.id]);
    expect(second.headers.get("x-next-cursor")).toBeNull();
  });

  it("a new chat takes the project's default model while it is usable, else the platform default (REST and the chat screen alike)", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id, { defaultModel: "qwen/qwen3-coder:free" });
    const viaRest = async () => (await (await createSession(headers, { project_id: project.id })).json()).model as string;
    // The chat screen's new chat (#14): the model its first message creates the chat with when none is picked.
    const viaScreen = async () => (await resolveNewChat(user.id, { projectId: project.id })).model;
    expect(await viaRest()).toBe("qwen/qwen3-coder:free");
    expect(await viaScreen()).toBe("qwen/qwen3-coder:free");
    // Without an OpenRouter key the project's OpenRouter default is unusable: the offline model is used instead.
    const key = process.env.OPENROUTER_API_KEY;
    delete process.env.OPENROUTER_API_KEY;
    resetConfigForTests();
    try {
      expect(await viaRest()).toBe("offline");
      expect(await viaScreen()).toBe("offline");
    } finally {
      process.env.OPENROUTER_API_KEY = key;
      resetConfigForTests();
    }
  });

  it("refuses a model outside the registry (422) and another user's project (404)", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id);
    const bad = await createSession(headers, { project_id: project.id, chat_model: "openai/gpt-5-pro" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).code).toBe("validation:model");
    const other = await createTestUser();
    const foreign = await createSession(other.headers, { project_id: project.id });
    expect(foreign.status).toBe(404);
    expect(await (await collection.GET(new Request(url(""), { headers: other.headers }))).json()).toEqual([]);
  });

  it("renames, changes model, deletes; other users get 404 everywhere and anonymous callers 401", async () => {
    const owner = await createTestUser();
    const project = await createProjectRow(owner.user.id);
    const session = await (await createSession(owner.headers, { project_id: project.id, title: "Old" })).json();
    const patch = (headers: Record<string, string>, body: unknown, id = session.id) =>
      item.PATCH(new Request(url(`/${id}`), { ...json(body, headers), method: "PATCH" }), params(id));

    const renamed = await patch(owner.headers, { title: "New title", chat_model: "offline" });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ title: "New title", model: "offline" });
    expect((await patch(owner.headers, { chat_model: "nope/nope" })).status).toBe(422);
    expect((await patch(owner.headers, { title: "" })).status).toBe(422);
    expect((await patch(owner.headers, { title: "x" }, "not-a-uuid")).status).toBe(404);

    const stranger = await createTestUser();
    const h = stranger.headers;
    expect((await item.GET(new Request(url(`/${session.id}`), { headers: h }), params(session.id))).status).toBe(404);
    expect((await patch(h, { title: "mine" })).status).toBe(404);
    expect(
      (await item.DELETE(new Request(url(`/${session.id}`), { method: "DELETE", headers: h }), params(session.id))).status,
    ).toBe(404);
    expect((await history.GET(new Request(url(`/${session.id}/history`), { headers: h }), params(session.id))).status).toBe(404);
    expect(
      (await chat.POST(new Request(url(`/${session.id}/chat`), json({ message: "hi" }, h)), params(session.id))).status,
    ).toBe(404);
    expect(
      (await chatStream.POST(new Request(url(`/${session.id}/chat/stream`), json({ message: "hi" }, h)), params(session.id)))
        .status,
    ).toBe(404);

    const anon = {};
    expect((await collection.GET(new Request(url("")))).status).toBe(401);
    expect((await createSession(anon, { project_id: project.id })).status).toBe(401);
    expect((await item.GET(new Request(url(`/${session.id}`)), params(session.id))).status).toBe(401);
    expect((await history.GET(new Request(url(`/${session.id}/history`)), params(session.id))).status).toBe(401);
    expect((await chat.POST(new Request(url(`/${session.id}/chat`), json({ message: "hi" })), params(session.id))).status).toBe(
      401,
    );

    expect(
      (await item.DELETE(new Request(url(`/${session.id}`), { method: "DELETE", headers: owner.headers }), params(session.id)))
        .status,
    ).toBe(204);
    expect((await item.GET(new Request(url(`/${session.id}`), { headers: owner.headers }), params(session.id))).status).toBe(404);
  });

  it("pages history backwards, oldest first within a page", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id);
    const session = await (await createSession(headers, { project_id: project.id })).json();
    for (let i = 1; i <= 5; i++)
      await appendMessage(user.id, session.id, { role: i % 2 ? "user" : "assistant", content: `m${i}` });
    const newest = await history.GET(new Request(url(`/${session.id}/history?limit=2`), { headers }), params(session.id));
    const page = await newest.json();
    expect(page.map((m: { content: string }) => m.content)).toEqual(["m4", "m5"]);
    expect(page[0]).toMatchObject({ role: "assistant", status: "complete" });
    expect(page[0].timestamp).toMatch(/Z$/);
    const before = newest.headers.get("x-next-cursor");
    expect(before).toBe(page[0].id);
    const older = await (
      await history.GET(new Request(url(`/${session.id}/history?limit=10&before=${before}`), { headers }), params(session.id))
    ).json();
    expect(older.map((m: { content: string }) => m.content)).toEqual(["m1", "m2", "m3"]);
  });

  it("chat: 200 {response, message_id, usage}; the message is validated; session_id in the body is ignored", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id);
    const session = await (await createSession(headers, { project_id: project.id })).json();
    standin.once({ reply: "Plain answer.", usage: { prompt_tokens: 11, completion_tokens: 3 } });
    const ok = await chat.POST(
      new Request(url(`/${session.id}/chat`), json({ message: "Hi", session_id: "ignored" }, headers)),
      params(session.id),
    );
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({ response: "Plain answer.", usage: { input_tokens: 11, output_tokens: 3 } });
    expect(body.message_id).toMatch(/^[0-9a-f-]{36}$/);
    for (const message of ["", "   \n ", "x".repeat(32_001)]) {
      const bad = await chat.POST(new Request(url(`/${session.id}/chat`), json({ message }, headers)), params(session.id));
      expect(bad.status).toBe(422);
    }
  });

  it("chat with the offline model: the reply states the context it received", async () => {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id, { systemPrompt: "Answer like a pirate." });
    const session = await (await createSession(headers, { project_id: project.id, chat_model: "offline" })).json();
    const first = await (
      await chat.POST(new Request(url(`/${session.id}/chat`), json({ message: "Ahoy there" }, headers)), params(session.id))
    ).json();
    expect(first.response).toContain("Instructions: yes");
    expect(first.response).toContain("Memory summary: none");
    expect(first.response).toContain("Earlier turns: 0");
    expect(first.response).toContain("Ahoy there");
    const second = await (
      await chat.POST(new Request(url(`/${session.id}/chat`), json({ message: "Again" }, headers)), params(session.id))
    ).json();
    expect(second.response).toContain("Earlier turns: 1");
    expect(second.usage.output_tokens).toBe(Math.ceil(second.response.length / 4));
  });
});
