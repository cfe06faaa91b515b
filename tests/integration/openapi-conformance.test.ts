import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { resetConfigForTests } from "@/lib/config/env";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import type { OpenRouterStandin } from "../support/openrouter-standin";
import { createTestAdmin } from "../support/admin";
import { openApiConformance, type Conformance } from "../support/openapi-conformance";
import { call, discoverRoutes, type CallInput, type DiscoveredRoute } from "../support/security-routes";
import { backgroundWorkDone, STANDIN_MODEL, useStandin } from "../support/chat-fixtures";

vi.mock("next/headers", () => import("../support/next-cookies"));
import { GET as health } from "@/app/health/route";

/**
 * Every operation of the served OpenAPI document, called through its real route handler, and every answer
 * (successes and the errors a client meets: 400, 401, 404, 409, 413, 415, 422, 429, 502) checked against what
 * the document declares for it. A field the document forbids or lacks, an undeclared status or content type
 * fails the test with the route and the mismatch.
 */

let standin: OpenRouterStandin;
let routes: DiscoveredRoute[];
let conformance: Conformance;
beforeAll(async () => {
  standin = await useStandin();
  routes = await discoverRoutes();
  resetRateLimitsForTests();
});
afterAll(() => standin.close());

/** Calls `METHOD path` (the document's template) with `{id}` filled from `id`, and checks the answer. */
async function api(
  method: "get" | "post" | "put" | "patch" | "delete",
  path: string,
  input: CallInput & { id?: string } = {},
): Promise<Response> {
  const template = path.replace(/\{(\w+)\}/g, "[$1]");
  const route = routes.find((r) => r.method === method.toUpperCase() && r.path === template);
  if (!route) throw new Error(`no handler for ${method.toUpperCase()} ${template}`);
  const response = await call(route, { ...input, params: input.id === undefined ? {} : { id: input.id } });
  return conformance.check(method, path, response);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const PASSWORD = "correct horse battery";

describe(`REST answers match the OpenAPI document (${inject("testDatabase").kind})`, () => {
  // One test walks every operation (about 150 requests and a few model calls): at a load average of 10 on two
  // cores it has taken over 30 s, the suite's default.
  it("every operation, with its successes and its errors", { timeout: 120_000 }, async () => {
    const served = await routes
      .find((r) => r.path === "/api/v1/openapi.json")!
      .handler(new Request("http://localhost/api/v1/openapi.json"), { params: Promise.resolve({}) });
    conformance = await openApiConformance((await served.clone().json()) as Record<string, unknown>);
    await conformance.check("get", "/api/v1/openapi.json", served);
    await conformance.check("get", "/health", await health());

    // ── Auth ─────────────────────────────────────────────────────────────────────────────────────────────
    const email = `conformance-${randomUUID()}@example.test`;
    const signup = await api("post", "/api/v1/auth/signup", { body: { email, password: PASSWORD, full_name: "Ada" } });
    expect(signup.status).toBe(201);
    const { token } = (await signup.json()) as { token: { access_token: string; refresh_token: string } };
    expect((await api("post", "/api/v1/auth/signup", { body: { email, password: PASSWORD } })).status).toBe(409);
    expect((await api("post", "/api/v1/auth/signup", { body: { email: "not an email", password: "short" } })).status).toBe(422);
    expect((await api("post", "/api/v1/auth/signup", { body: "{not json" })).status).toBe(400);
    expect(
      (await api("post", "/api/v1/auth/signup", { body: "email=a", headers: { "content-type": "text/plain" } })).status,
    ).toBe(415);

    const login = await api("post", "/api/v1/auth/login", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const loginToken = ((await login.json()) as { token: { refresh_token: string } }).token;
    const wrongLogin = async () =>
      (await api("post", "/api/v1/auth/login", { body: { email, password: "a wrong password" } })).status;
    expect(await wrongLogin()).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 10 && statuses.at(-1) !== 429; i++) statuses.push(await wrongLogin());
    expect(statuses.at(-1)).toBe(429);

    const refreshed = await api("post", "/api/v1/auth/refresh", { body: { refresh_token: token.refresh_token } });
    expect(refreshed.status).toBe(200);
    const replayed = ((await refreshed.json()) as { access_token: string }).access_token;
    expect((await api("get", "/api/v1/auth/session-check", { headers: bearer(replayed) })).status).toBe(200);
    // A replayed refresh token ends its session, the access tokens it issued included (#12).
    expect((await api("post", "/api/v1/auth/refresh", { body: { refresh_token: token.refresh_token } })).status).toBe(401);
    expect((await api("get", "/api/v1/auth/session-check", { headers: bearer(replayed) })).status).toBe(401);
    // The rest runs as a second account (the first one's login is throttled by now).
    const second = await api("post", "/api/v1/auth/signup", {
      body: { email: `conformance-${randomUUID()}@example.test`, password: PASSWORD },
    });
    expect(second.status).toBe(201);
    const headers = bearer(((await second.json()) as { token: { access_token: string } }).token.access_token);
    expect((await api("get", "/api/v1/auth/session-check", { headers })).status).toBe(200);
    expect((await api("get", "/api/v1/auth/session-check")).status).toBe(401);
    expect((await api("post", "/api/v1/auth/logout", { body: { refresh_token: loginToken.refresh_token } })).status).toBe(204);

    const logged: string[] = [];
    const info = vi.spyOn(console, "info").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
    const other = `conformance-${randomUUID()}@example.test`;
    await api("post", "/api/v1/auth/signup", { body: { email: other, password: PASSWORD } });
    expect((await api("post", "/api/v1/auth/reset-password", { body: { email: other } })).status).toBe(200);
    await backgroundWorkDone(); // the link is made and sent after the answer
    info.mockRestore();
    const link = logged.find((line) => line.includes(`password reset link for ${other}:`));
    expect(link, "the reset link is logged without SMTP").toBeDefined();
    const resetToken = new URL(link!.split(": ").at(-1)!).searchParams.get("token");
    const confirm = () =>
      api("post", "/api/v1/auth/reset-password/confirm", { body: { token: resetToken, password: "a brand new password" } });
    expect((await confirm()).status).toBe(200);
    expect((await confirm()).status).toBe(400);

    // ── Projects ─────────────────────────────────────────────────────────────────────────────────────────
    const create = (body: unknown) => api("post", "/api/v1/project", { headers, body });
    const project = (await (await create({ project_name: "Conformance", default_model: STANDIN_MODEL })).json()) as {
      id: string;
    };
    const spare = (await (await create({ project_name: "Spare", project_description: "to delete" })).json()) as { id: string };
    expect((await create({ project_name: "" })).status).toBe(422);
    expect((await create({ project_name: "big", system_prompt: "x".repeat(1024 * 1024) })).status).toBe(413);
    const page = await api("get", "/api/v1/project", { headers, query: "?limit=1" });
    expect(page.status).toBe(200);
    expect(page.headers.get("x-next-cursor")).toBeTruthy();
    expect((await api("get", "/api/v1/project", { headers, query: "?cursor=bm90LWEtY3Vyc29y" })).status).toBe(422);
    expect((await api("get", "/api/v1/project")).status).toBe(401);
    expect((await api("get", "/api/v1/project/available-models", { headers })).status).toBe(200);
    expect((await api("get", "/api/v1/project/{id}", { headers, id: project.id })).status).toBe(200);
    expect((await api("get", "/api/v1/project/{id}", { headers, id: randomUUID() })).status).toBe(404);
    expect((await api("get", "/api/v1/project/{id}", { headers, id: "not-a-uuid" })).status).toBe(404);
    expect(
      (await api("patch", "/api/v1/project/{id}", { headers, id: project.id, body: { memory_enabled: false } })).status,
    ).toBe(200);
    expect((await api("patch", "/api/v1/project/{id}", { headers, id: project.id, body: { project_name: "" } })).status).toBe(
      422,
    );
    expect((await api("delete", "/api/v1/project/{id}", { headers, id: spare.id })).status).toBe(204);
    expect((await api("delete", "/api/v1/project/{id}", { headers, id: spare.id })).status).toBe(404);

    // ── Sessions, history, memory, chat ──────────────────────────────────────────────────────────────────
    const session = (await (
      await api("post", "/api/v1/sessions", { headers, body: { project_id: project.id, title: "Conformance" } })
    ).json()) as { id: string };
    await api("post", "/api/v1/sessions", { headers, body: { project_id: project.id } });
    expect((await api("post", "/api/v1/sessions", { headers, body: { project_id: randomUUID() } })).status).toBe(404);
    expect(
      (await api("post", "/api/v1/sessions", { headers, body: { project_id: project.id, chat_model: "not/a-model" } })).status,
    ).toBe(422);
    const sessions = await api("get", "/api/v1/sessions", { headers, query: `?project_id=${project.id}&limit=1` });
    expect(sessions.status).toBe(200);
    expect(sessions.headers.get("x-next-cursor")).toBeTruthy();
    expect((await api("get", "/api/v1/sessions", { headers, query: "?limit=0" })).status).toBe(422);
    expect((await api("get", "/api/v1/sessions/{id}", { headers, id: session.id })).status).toBe(200);
    expect(
      (
        await api("patch", "/api/v1/sessions/{id}", {
          headers,
          id: session.id,
          body: { title: "Renamed", chat_model: STANDIN_MODEL },
        })
      ).status,
    ).toBe(200);

    const chat = (body: unknown) => api("post", "/api/v1/sessions/{id}/chat", { headers, id: session.id, body });
    standin.once({ reply: "A plain answer.", usage: { prompt_tokens: 12, completion_tokens: 4 } });
    expect((await chat({ message: "Hello" })).status).toBe(200);
    expect((await chat({ message: "   " })).status).toBe(422);
    standin.once({ failure: { kind: "http", status: 500 } });
    expect((await chat({ message: "Fail, please" })).status).toBe(502);
    const stream = await api("post", "/api/v1/sessions/{id}/chat/stream", {
      headers,
      id: session.id,
      body: { message: "Stream it" },
    });
    expect(stream.status).toBe(200);
    await stream.text();
    // A retried send (#15): the same client message id (body or Idempotency-Key) is that turn's answer again; the id
    // reused for another text is 422.
    const once = { message: "Once only", client_message_id: "conformance-1" };
    const first = await chat(once);
    expect(first.status).toBe(200);
    expect(await (await chat(once)).json()).toEqual(await first.json());
    expect((await chat({ message: "Another text", client_message_id: "conformance-1" })).status).toBe(422);
    const retriedStream = await api("post", "/api/v1/sessions/{id}/chat/stream", {
      headers: { ...headers, "Idempotency-Key": "conformance-1" },
      id: session.id,
      body: { message: "Once only" },
    });
    expect(retriedStream.status).toBe(200);
    expect(await retriedStream.text()).toContain("data: [DONE]");
    // A reply held open (the stand-in stalls after one chunk) makes a second send a 409; the user's Stop ends it,
    // and it answers 200 with status "incomplete".
    standin.once({ reply: "never finished", failure: { kind: "stall", afterChunks: 1 } });
    const held = chat({ message: "Hold on" });
    await standin.waitForRequests(standin.requests.length + 1);
    expect((await chat({ message: "Me too" })).status).toBe(409);
    expect(
      (await api("post", "/api/v1/sessions/{id}/chat/stream", { headers, id: session.id, body: { message: "Me too" } })).status,
    ).toBe(409);
    // Reattach (#15): the held reply, live, from another connection; 204 once nothing runs; 404 for no chat of yours.
    // (Called directly: the conformance check would read the live stream to its end before the Stop.)
    const reattach = routes.find((r) => r.method === "GET" && r.path === "/api/v1/sessions/[id]/chat/stream")!;
    const watching = await call(reattach, { headers, params: { id: session.id } });
    expect(watching.status).toBe(200);
    expect(watching.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const stop = routes.find((r) => r.method === "POST" && r.path === "/api/chat/[sessionId]/stop")!;
    expect((await call(stop, { headers, params: { sessionId: session.id } })).status).toBe(200);
    expect(((await (await held).json()) as { status: string }).status).toBe("incomplete");
    expect(await watching.text()).toContain("data: [DONE]");
    expect((await api("get", "/api/v1/sessions/{id}/chat/stream", { headers, id: session.id })).status).toBe(204);
    expect((await api("get", "/api/v1/sessions/{id}/chat/stream", { headers, id: randomUUID() })).status).toBe(404);

    const history = await api("get", "/api/v1/sessions/{id}/history", { headers, id: session.id, query: "?limit=2" });
    expect(history.status).toBe(200);
    // Branches: an edit of the first question, the tree view, and choosing the first version again.
    const [firstQuestion] = (await (
      await api("get", "/api/v1/sessions/{id}/history", { headers, id: session.id, query: "?view=tree&limit=100" })
    ).json()) as Array<{ id: string; parent_id: string | null; versions: string[] }>;
    expect(firstQuestion!.parent_id).toBeNull();
    standin.once({ reply: "Another answer." });
    expect((await chat({ message: "Hello again", edit_of: firstQuestion!.id })).status).toBe(200);
    const edited = (await (await api("get", "/api/v1/sessions/{id}/history", { headers, id: session.id })).json()) as Array<{
      content: string;
      versions: string[];
    }>;
    expect(edited.map((m) => m.content)).toEqual(["Hello again", "Another answer."]);
    expect(edited[0]!.versions).toHaveLength(2);
    standin.once({ reply: "A regenerated answer." });
    expect((await chat({ regenerate: true })).status).toBe(200);
    expect((await chat({ regenerate: true, message: "no" })).status).toBe(422);
    const chosen = await api("put", "/api/v1/sessions/{id}/active-leaf", {
      headers,
      id: session.id,
      body: { message_id: firstQuestion!.id },
    });
    expect(chosen.status).toBe(200);
    expect(
      (await api("put", "/api/v1/sessions/{id}/active-leaf", { headers, id: session.id, body: { message_id: randomUUID() } }))
        .status,
    ).toBe(404);
    expect((await api("put", "/api/v1/sessions/{id}/active-leaf", { headers, id: session.id, body: {} })).status).toBe(422);
    expect((await api("get", "/api/v1/sessions/{id}/history", { headers, id: session.id, query: "?before=nope" })).status).toBe(
      422,
    );
    expect((await api("get", "/api/v1/sessions/{id}/memory", { headers, id: session.id })).status).toBe(200);
    expect((await api("get", "/api/v1/sessions/{id}/memory", { headers, id: randomUUID() })).status).toBe(404);
    const found = await api("get", "/api/v1/search", { headers, query: "?q=hello&limit=1" });
    expect(found.status).toBe(200);
    expect(((await found.json()) as Array<{ session_id: string }>).map((r) => r.session_id)).toEqual([session.id]);
    expect((await api("get", "/api/v1/search", { headers, query: "?q=" })).status).toBe(422);
    expect((await api("get", "/api/v1/search", { query: "?q=hello" })).status).toBe(401);
    // Usage: the chat's replies so far, by each grouping (the document forbids any field it does not name).
    for (const group of ["day", "model", "project"]) {
      const usage = await api("get", "/api/v1/usage", { headers, query: `?group_by=${group}` });
      expect(usage.status).toBe(200);
      expect(((await usage.json()) as { totals: { calls: number } }).totals.calls).toBeGreaterThan(0);
    }
    expect((await api("get", "/api/v1/usage", { headers, query: "?from=2026-05-02&to=2026-05-01" })).status).toBe(422);
    expect((await api("get", "/api/v1/usage", {})).status).toBe(401);

    // ── The caller's own OpenRouter key ───────────────────────────────────────────────────────────────────
    const ownKey = `sk-or-v1-${"c".repeat(64)}`;
    expect((await api("get", "/api/v1/me/openrouter-key", { headers })).status).toBe(200);
    const savedKey = await api("put", "/api/v1/me/openrouter-key", { headers, body: { key: ownKey } });
    expect(savedKey.status).toBe(200);
    expect(await savedKey.text()).not.toContain(ownKey);
    expect((await api("put", "/api/v1/me/openrouter-key", { headers, body: { key: "not a key" } })).status).toBe(422);
    expect((await api("put", "/api/v1/me/openrouter-key", { headers, body: "{not json" })).status).toBe(400);
    expect((await api("delete", "/api/v1/me/openrouter-key", { headers })).status).toBe(204);
    expect((await api("get", "/api/v1/me/openrouter-key")).status).toBe(401);
    process.env.USER_KEYS_ENABLED = "false";
    resetConfigForTests();
    expect((await api("put", "/api/v1/me/openrouter-key", { headers, body: { key: ownKey } })).status).toBe(403);
    delete process.env.USER_KEYS_ENABLED;
    resetConfigForTests();
    // ── Admin ────────────────────────────────────────────────────────────────────────────────────────────
    const admin = bearer((await createTestAdmin()).token);
    const secondId = ((await api("get", "/api/v1/auth/session-check", { headers }).then((r) => r.json())) as { user_id: string })
      .user_id;
    const users = await api("get", "/api/v1/admin/users", { headers: admin, query: "?q=conformance" });
    expect(users.status).toBe(200);
    expect((await api("get", "/api/v1/admin/users", { headers })).status).toBe(404);
    expect((await api("get", "/api/v1/admin/users", { headers: admin, query: "?limit=0" })).status).toBe(422);
    const made = await api("post", "/api/v1/admin/users", {
      headers: admin,
      body: { email: `conformance-${randomUUID()}@example.test`, password: PASSWORD },
    });
    expect(made.status).toBe(201);
    const madeId = ((await made.json()) as { id: string }).id;
    expect((await api("get", "/api/v1/admin/users/{id}", { headers: admin, id: secondId })).status).toBe(200);
    expect((await api("get", "/api/v1/admin/users/{id}", { headers: admin, id: randomUUID() })).status).toBe(404);
    expect((await api("get", "/api/v1/admin/users/{id}/usage", { headers: admin, id: secondId })).status).toBe(200);
    const budget = await api("patch", "/api/v1/admin/users/{id}", {
      headers: admin,
      id: secondId,
      body: { monthly_token_limit: 1 },
    });
    expect(budget.status).toBe(200);
    expect(
      (await api("patch", "/api/v1/admin/users/{id}", { headers: admin, id: secondId, body: { role: "root" } })).status,
    ).toBe(422);
    const overBudget = await api("post", "/api/v1/sessions/{id}/chat", { headers, id: session.id, body: { message: "More?" } });
    expect(overBudget.status).toBe(402);
    await api("patch", "/api/v1/admin/users/{id}", { headers: admin, id: secondId, body: { monthly_token_limit: null } });
    expect((await api("get", "/api/v1/admin/settings", { headers: admin })).status).toBe(200);
    expect((await api("patch", "/api/v1/admin/settings", { headers: admin, body: { user_keys_enabled: null } })).status).toBe(
      200,
    );
    expect((await api("get", "/api/v1/admin/audit", { headers: admin })).status).toBe(200);
    expect((await api("delete", "/api/v1/admin/users/{id}", { headers: admin, id: madeId })).status).toBe(204);

    // ── Export and import ────────────────────────────────────────────────────────────────────────────────
    const exportOf = (query: string) => api("get", "/api/v1/sessions/{id}/export", { headers, id: session.id, query });
    expect((await exportOf("?format=markdown")).status).toBe(200);
    const chatJson = await exportOf("?format=json");
    expect(chatJson.status).toBe(200);
    expect((await exportOf("?format=pdf")).status).toBe(422);
    expect((await api("get", "/api/v1/sessions/{id}/export", { headers, id: randomUUID() })).status).toBe(404);
    const everything = await api("get", "/api/v1/export", { headers });
    expect(everything.status).toBe(200);
    const file = await everything.text();
    expect((await api("post", "/api/v1/import", { headers, body: file })).status).toBe(201);
    expect(
      (await api("post", "/api/v1/import", { headers, body: await chatJson.text(), query: `?project_id=${project.id}` })).status,
    ).toBe(201);
    expect((await api("post", "/api/v1/import", { headers, body: file, query: `?project_id=${randomUUID()}` })).status).toBe(404);
    expect((await api("post", "/api/v1/import", { headers, body: "[{" })).status).toBe(400);
    expect((await api("post", "/api/v1/import", { headers, body: [{ mapping: 1 }] })).status).toBe(422);
    expect(
      (await api("post", "/api/v1/import", { body: "x", headers: { ...headers, "content-type": "text/plain" } })).status,
    ).toBe(415);
    expect((await api("delete", "/api/v1/sessions/{id}", { headers, id: session.id })).status).toBe(204);
    expect((await api("get", "/api/v1/sessions/{id}", { headers, id: session.id })).status).toBe(404);
    expect((await api("delete", "/api/v1/project/{id}", { headers, id: project.id })).status).toBe(204);

    expect(conformance.mismatches).toEqual([]);
    const untried = [...conformance.seen].filter(([, statuses]) => statuses.size === 0).map(([operation]) => operation);
    expect(untried, "operations of the document no call reached").toEqual([]);
  });
});
