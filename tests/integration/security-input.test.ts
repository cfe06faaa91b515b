import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createProjectAction, loadProjectsPageAction, updateProjectAction } from "@/lib/projects/actions";
import { renameChatAction, updateSystemPromptAction } from "@/lib/chats/actions";
import { forgotPasswordAction, loginAction, registerAction, resetPasswordAction } from "@/lib/auth/actions";
import { changePasswordAction, deleteAccountAction } from "@/lib/auth/account-actions";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { storedMessages } from "../support/chat-fixtures";
import { cookieJar } from "../support/next-cookies";
import { form } from "../support/server-actions";
import {
  call,
  createOwnedFixture,
  discoverRoutes,
  drain,
  routeKey,
  snapshotOf,
  type OwnedFixture,
  type TestUser,
} from "../support/security-routes";
import { createTestUser } from "../support/auth";

vi.mock("next/headers", () => import("../support/next-cookies"));

/**
 * #12: text PostgreSQL cannot store must be refused (NUL, 422) or made storable (an unpaired surrogate becomes
 * U+FFFD), never reach the database and fail there as a 500. Every text field and ?q= of the REST API and of
 * the server actions that write text.
 */
const NUL = "before\u0000after";
const LONE = "before\ud800after";
const MENDED = "before\ufffdafter";

const routes = await discoverRoutes();
const route = (key: string) => {
  const found = routes.find((r) => routeKey(r) === key);
  if (!found) throw new Error(`no route ${key}`);
  return found;
};

type Case = [key: string, params: (f: OwnedFixture) => Record<string, string>, body: (f: OwnedFixture, text: string) => unknown];
const none = () => ({});
const projectOf = (f: OwnedFixture) => ({ id: f.projectId });
const sessionOf = (f: OwnedFixture) => ({ id: f.sessionId });
const uiMessage = (f: OwnedFixture, text: string) => ({
  trigger: "submit-message",
  sessionId: f.sessionId,
  message: { id: randomUUID(), role: "user", parts: [{ type: "text", text }] },
});

const TEXT_FIELDS: Case[] = [
  ["POST /api/v1/project", none, (_f, text) => ({ project_name: text })],
  ["POST /api/v1/project", none, (_f, text) => ({ project_name: "ok", project_description: text })],
  ["POST /api/v1/project", none, (_f, text) => ({ project_name: "ok", system_prompt: text })],
  ["PATCH /api/v1/project/[id]", projectOf, (_f, text) => ({ project_name: text })],
  ["PATCH /api/v1/project/[id]", projectOf, (_f, text) => ({ project_description: text })],
  ["PATCH /api/v1/project/[id]", projectOf, (_f, text) => ({ system_prompt: text })],
  ["POST /api/v1/sessions", none, (f, text) => ({ project_id: f.projectId, title: text })],
  ["PATCH /api/v1/sessions/[id]", sessionOf, (_f, text) => ({ title: text })],
  ["POST /api/v1/sessions/[id]/chat", sessionOf, (_f, text) => ({ message: text })],
  ["POST /api/v1/sessions/[id]/chat/stream", sessionOf, (_f, text) => ({ message: text })],
  ["POST /api/chat", none, uiMessage],
  [
    "POST /api/v1/auth/signup",
    none,
    (_f, text) => ({ email: `nul-${randomUUID()}@example.test`, password: "a long enough password", full_name: text }),
  ],
];

describe(`#12 text PostgreSQL cannot store (${inject("testDatabase").kind})`, () => {
  let owner: TestUser;
  let fixture: OwnedFixture;
  let before: Awaited<ReturnType<typeof snapshotOf>>;

  beforeAll(async () => {
    owner = await createTestUser("Input owner");
    fixture = await createOwnedFixture(owner, "input");
    before = await snapshotOf(owner.user.id);
  });
  afterAll(() => cookieJar.clear());

  it.each(TEXT_FIELDS)("#12 %s: a NUL character is a 422 naming the field, not a 500", async (key, params, body) => {
    const response = await call(route(key), { params: params(fixture), headers: owner.headers, body: body(fixture, NUL) });
    const text = await drain(response);
    expect(response.status, text).toBe(422);
    expect(JSON.parse(text)).toMatchObject({
      code: expect.stringMatching(/^validation:/),
      detail: expect.stringContaining("NUL"),
    });
  });

  it("#12 ?q= with a NUL character is a 422", async () => {
    const response = await call(route("GET /api/v1/project"), { headers: owner.headers, query: "?q=a%00b" });
    expect(response.status, await response.clone().text()).toBe(422);
  });

  it("#12 after the refused NULs, nothing of the owner's changed", async () => {
    expect(await snapshotOf(owner.user.id)).toEqual(before);
  });

  it.each([
    ["POST /api/v1/sessions/[id]/chat", { message: LONE }],
    ["POST /api/v1/sessions/[id]/chat/stream", { message: LONE }],
  ] as const)("#12 %s: an unpaired surrogate is stored as U+FFFD, text and parts alike", async (key, body) => {
    const session = await createOwnedFixture(owner, "surrogate");
    const response = await call(route(key), { params: { id: session.sessionId }, headers: owner.headers, body });
    const text = await drain(response);
    expect(response.status, text).toBe(200);
    const user = (await storedMessages(session.sessionId)).filter((m) => m.role === "user").at(-1);
    expect(user).toMatchObject({ content: MENDED, parts: [{ type: "text", text: MENDED }] });
  });

  it("#12 POST /api/chat: an unpaired surrogate is stored as U+FFFD", async () => {
    const session = await createOwnedFixture(owner, "surrogate-ui");
    const response = await call(route("POST /api/chat"), {
      headers: { cookie: `${ACCESS_COOKIE}=${owner.token}` },
      body: uiMessage(session, LONE),
    });
    const text = await drain(response);
    expect(response.status, text).toBe(200);
    expect((await storedMessages(session.sessionId)).filter((m) => m.role === "user").at(-1)).toMatchObject({
      content: MENDED,
      parts: [{ type: "text", text: MENDED }],
    });
  });

  it("#12 names and titles with an unpaired surrogate come back mended, the same as they are stored", async () => {
    const created = await call(route("POST /api/v1/project"), {
      headers: owner.headers,
      body: { project_name: LONE, system_prompt: LONE },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ project_name: MENDED, system_prompt: MENDED });
    const session = await call(route("POST /api/v1/sessions"), {
      headers: owner.headers,
      body: { project_id: fixture.projectId, title: LONE },
    });
    expect(session.status).toBe(201);
    expect(await session.json()).toMatchObject({ title: MENDED });
  });

  describe("#12 server actions", () => {
    const mine = (s: Awaited<ReturnType<typeof snapshotOf>>) => ({
      project: s.projects.find((p) => p.id === fixture.projectId),
      session: s.sessions.find((x) => x.id === fixture.sessionId),
    });
    let beforeActions: ReturnType<typeof mine>;
    beforeAll(async () => {
      cookieJar.set(ACCESS_COOKIE, owner.token);
      beforeActions = mine(await snapshotOf(owner.user.id));
    });

    it("#12 project actions refuse a NUL character as a field error", async () => {
      expect(await createProjectAction({ project_name: NUL })).toMatchObject({
        ok: false,
        fieldErrors: { project_name: expect.stringContaining("NUL") },
      });
      expect(await updateProjectAction(fixture.projectId, { project_description: NUL })).toMatchObject({
        ok: false,
        fieldErrors: { project_description: expect.stringContaining("NUL") },
      });
      expect(await loadProjectsPageAction({ q: NUL })).toMatchObject({ ok: false });
    });

    it("#12 chat actions refuse a NUL character with a readable error", async () => {
      expect(await renameChatAction(fixture.sessionId, NUL)).toEqual({ ok: false, error: expect.stringContaining("NUL") });
      expect(await updateSystemPromptAction(fixture.projectId, NUL)).toEqual({
        ok: false,
        error: expect.stringContaining("NUL"),
      });
    });

    it("#12 the sign-up form refuses a NUL character in the full name", async () => {
      const password = "a long enough password";
      const state = await registerAction(
        {},
        form({ full_name: NUL, email: `nul-${randomUUID()}@example.test`, password, confirm: password }),
      );
      expect(state.fieldErrors?.full_name).toContain("NUL");
    });

    it("#12 form actions called with something other than a FormData refuse it instead of throwing", async () => {
      for (const notAForm of ["a string", 42, null, { email: "x@example.test" }, ["email", "x"]]) {
        for (const action of [
          loginAction,
          registerAction,
          forgotPasswordAction,
          resetPasswordAction,
          changePasswordAction,
          deleteAccountAction,
        ]) {
          const state = await action({}, notAForm as unknown as FormData);
          expect(state, `${action.name}(${JSON.stringify(notAForm)})`).toMatchObject({});
          expect(state.fieldErrors ?? state.formError ?? state.message, action.name).toBeTruthy();
        }
      }
    });

    it("#12 after the refused actions, the owner's project and chat are unchanged", async () => {
      expect(mine(await snapshotOf(owner.user.id))).toEqual(beforeActions);
    });
  });
});
