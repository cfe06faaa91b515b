import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createProjectAction } from "@/lib/projects/actions";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { resetConfigForTests } from "@/lib/config/env";
import { storedMessages, storedSession } from "../support/chat-fixtures";
import { cookieJar } from "../support/next-cookies";
import { call, discoverRoutes, drain, routeKey } from "../support/security-routes";
import { createTestUser } from "../support/auth";

vi.mock("next/headers", () => import("../support/next-cookies"));

/**
 * #12: per-user caps, so one account cannot grow the database without bound: 409 with a `limit:*` code and a
 * sentence saying what to do, nothing stored. Small caps here; the defaults are generous (lib/config/env.ts).
 */
const CAPS = { MAX_PROJECTS_PER_USER: "3", MAX_SESSIONS_PER_PROJECT: "2", MAX_MESSAGES_PER_SESSION: "4" };

const routes = await discoverRoutes();
const route = (key: string) => routes.find((r) => routeKey(r) === key)!;

describe(`#12 quotas (${inject("testDatabase").kind})`, () => {
  const saved = Object.fromEntries(Object.keys(CAPS).map((k) => [k, process.env[k]]));
  beforeAll(() => {
    Object.assign(process.env, CAPS);
    resetConfigForTests();
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetConfigForTests();
    cookieJar.clear();
  });

  const expectLimit = async (response: Response, code: string) => {
    const text = await drain(response);
    expect(response.status, text).toBe(409);
    expect(JSON.parse(text)).toMatchObject({ code, detail: expect.stringMatching(/limit of \d/) });
  };

  it("#12 projects per user: the fourth is a 409 limit:projects, by API and by the dashboard; deleting one frees a place", async () => {
    const user = await createTestUser();
    const create = (name: string) => call(route("POST /api/v1/project"), { headers: user.headers, body: { project_name: name } });
    const ids: string[] = [];
    for (const name of ["one", "two", "three"]) {
      const response = await create(name);
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    await expectLimit(await create("four"), "limit:projects");
    cookieJar.set(ACCESS_COOKIE, user.token);
    expect(await createProjectAction({ project_name: "four" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/limit of 3 projects/),
    });
    expect((await call(route("DELETE /api/v1/project/[id]"), { params: { id: ids[0] }, headers: user.headers })).status).toBe(
      204,
    );
    expect((await create("four")).status).toBe(201);
  });

  it("#12 chats per project: the third is a 409 limit:sessions, by API and by the chat screen", async () => {
    const user = await createTestUser();
    const project = (await (
      await call(route("POST /api/v1/project"), { headers: user.headers, body: { project_name: "p" } })
    ).json()) as { id: string };
    const start = () =>
      call(route("POST /api/v1/sessions"), { headers: user.headers, body: { project_id: project.id, chat_model: "offline" } });
    expect((await start()).status).toBe(201);
    expect((await start()).status).toBe(201);
    await expectLimit(await start(), "limit:sessions");
    // The chat screen's first message of a new chat (#14) is refused the same way, and leaves no chat behind.
    const firstMessage = await call(route("POST /api/chat"), {
      headers: { cookie: `${ACCESS_COOKIE}=${user.token}` },
      body: {
        trigger: "submit-message",
        newChat: { id: randomUUID(), projectId: project.id, model: "offline" },
        message: { id: randomUUID(), role: "user", parts: [{ type: "text", text: "one more" }] },
      },
    });
    await expectLimit(firstMessage, "limit:sessions");
    const list = await call(route("GET /api/v1/sessions"), { headers: user.headers, query: `?project_id=${project.id}` });
    expect(((await list.json()) as unknown[]).length).toBe(2);
  });

  it("#12 messages per chat: a message beyond the cap is a 409 limit:messages on both send routes, and nothing is stored", async () => {
    const user = await createTestUser();
    const project = (await (
      await call(route("POST /api/v1/project"), { headers: user.headers, body: { project_name: "p" } })
    ).json()) as { id: string };
    const session = (await (
      await call(route("POST /api/v1/sessions"), {
        headers: user.headers,
        body: { project_id: project.id, chat_model: "offline" },
      })
    ).json()) as { id: string };
    const send = (message: string) =>
      call(route("POST /api/v1/sessions/[id]/chat"), { params: { id: session.id }, headers: user.headers, body: { message } });
    // Each turn stores two messages: 0 → 2 → 4, then the cap of 4 is reached.
    for (const message of ["first", "second"]) expect((await drain(await send(message))).length).toBeGreaterThan(0);
    expect((await storedSession(session.id)).messageCount).toBe(4);
    await expectLimit(await send("third"), "limit:messages");
    const ui = await call(route("POST /api/chat"), {
      headers: { cookie: `${ACCESS_COOKIE}=${user.token}` },
      body: {
        trigger: "submit-message",
        sessionId: session.id,
        message: { id: randomUUID(), role: "user", parts: [{ type: "text", text: "third" }] },
      },
    });
    await expectLimit(ui, "limit:messages");
    expect((await storedMessages(session.id)).map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    // The refused sends left the chat free: not a held lease.
    expect((await storedSession(session.id)).generationId).toBeNull();
  });
});
