import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { eq, ne } from "drizzle-orm";
import { FIRST_ADMIN_KEY } from "@/lib/db/queries/app-settings";
import { getDb } from "@/lib/db/client";
import { accounts, adminAudit, appSettings, usageEvents, users } from "@/lib/db/schema";
import { resetConfigForTests } from "@/lib/config/env";
import { forgetRuntimeSettings } from "@/lib/settings/runtime";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { forgetAccountState } from "@/lib/accounts/state";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as signupRoute from "@/app/api/v1/auth/signup/route";
import * as loginRoute from "@/app/api/v1/auth/login/route";
import * as adminUsers from "@/app/api/v1/admin/users/route";
import * as adminUser from "@/app/api/v1/admin/users/[id]/route";
import * as adminUserUsage from "@/app/api/v1/admin/users/[id]/usage/route";
import * as adminSettings from "@/app/api/v1/admin/settings/route";
import * as adminAuditRoute from "@/app/api/v1/admin/audit/route";
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import * as projectsRoute from "@/app/api/v1/project/route";
import * as models from "@/app/api/v1/project/available-models/route";
import { createProjectRow, createSessionRow, standinForFile, STANDIN_MODEL, backgroundWorkDone } from "../support/chat-fixtures";
import { createTestUser } from "../support/auth";
import { createTestAdmin, jsonRequest } from "../support/admin";

/**
 * #17 §3 Administrators: roles (the first built-in account, ADMIN_EMAILS), the sign-up policy, disabling, budgets
 * and the audit log, through the real routes on the real database.
 */

const standin = standinForFile();
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const db = () => getDb();

async function setEnv(values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfigForTests();
}

/** Every run-time setting back to the environment's (the first-admin marker stays: an admin exists). */
async function clearSettings() {
  await (await db()).delete(appSettings).where(ne(appSettings.key, FIRST_ADMIN_KEY));
  forgetRuntimeSettings();
}

const signup = (email: string, password = "correct horse battery") =>
  signupRoute.POST(jsonRequest("/api/v1/auth/signup", "POST", {}, { email, password, full_name: "New" }));

async function accountOf(email: string) {
  const [row] = await (
    await db()
  )
    .select({ role: accounts.role, status: accounts.status, userId: accounts.userId })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(eq(users.email, email.toLowerCase()));
  return row;
}

const send = (owner: { headers: Record<string, string> }, sessionId: string, message = "hello") =>
  chat.POST(jsonRequest(`/api/v1/sessions/${sessionId}/chat`, "POST", owner.headers, { message }), params(sessionId));

beforeEach(async () => {
  await clearSettings();
  standin().setScript({ reply: "Fine.", cost: undefined });
});
afterEach(async () => {
  await setEnv({ ADMIN_EMAILS: undefined, SIGNUP_POLICY: undefined });
});

describe(`administrators (${inject("testDatabase").kind})`, () => {
  it("makes exactly one admin of two concurrent first sign-ups, and later accounts users", async () => {
    // The file's database is fresh: no account has claimed the first-admin marker yet.
    await (await db()).delete(appSettings);
    const [a, b] = await Promise.all([signup("first-a@example.test"), signup("first-b@example.test")]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const roles = [(await accountOf("first-a@example.test")).role, (await accountOf("first-b@example.test")).role].sort();
    expect(roles).toEqual(["admin", "user"]);
    expect((await signup("third@example.test")).status).toBe(201);
    expect((await accountOf("third@example.test")).role).toBe("user");
  });

  it("makes ADMIN_EMAILS accounts admins, case-insensitively", async () => {
    await setEnv({ ADMIN_EMAILS: "Boss@Example.test, other@example.test" });
    expect((await signup("boss@example.TEST")).status).toBe(201);
    expect((await accountOf("boss@example.TEST")).role).toBe("admin");
    const login = await loginRoute.POST(
      jsonRequest("/api/v1/auth/login", "POST", {}, { email: "boss@example.TEST", password: "correct horse battery" }),
    );
    const { access_token } = ((await login.json()) as { token: { access_token: string } }).token;
    const response = await adminUsers.GET(jsonRequest("/api/v1/admin/users", "GET", { authorization: `Bearer ${access_token}` }));
    expect(response.status).toBe(200);
  });

  it("answers 404 to a non-admin on every admin route, and 401 to the anonymous", async () => {
    const user = await createTestUser();
    const id = user.user.id;
    const calls = [
      () => adminUsers.GET(jsonRequest("/api/v1/admin/users", "GET", user.headers)),
      () => adminUser.GET(jsonRequest(`/api/v1/admin/users/${id}`, "GET", user.headers), params(id)),
      () => adminUser.PATCH(jsonRequest(`/api/v1/admin/users/${id}`, "PATCH", user.headers, { role: "admin" }), params(id)),
      () => adminSettings.PATCH(jsonRequest("/api/v1/admin/settings", "PATCH", user.headers, { signup_policy: "open" })),
      () => adminAuditRoute.GET(jsonRequest("/api/v1/admin/audit", "GET", user.headers)),
    ];
    for (const call of calls) {
      const response = await call();
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: "not_found:route" });
    }
    const anonymous = await adminUsers.GET(jsonRequest("/api/v1/admin/users", "GET", {}));
    expect(anonymous.status).toBe(401);
    // The non-admin's attempt to make itself an admin changed nothing.
    expect((await (await db()).select().from(accounts).where(eq(accounts.userId, id)))[0]?.role).toBe("user");
  });

  it("closed: only admins create accounts; approval: new accounts wait and cannot chat until approved", async () => {
    const admin = await createTestAdmin();
    const closed = await adminSettings.PATCH(
      jsonRequest("/api/v1/admin/settings", "PATCH", admin.headers, { signup_policy: "closed" }),
    );
    expect(closed.status).toBe(200);
    const refused = await signup("closed@example.test");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "forbidden:signup" });
    const created = await adminUsers.POST(
      jsonRequest("/api/v1/admin/users", "POST", admin.headers, { email: "made@example.test", password: "long enough pw" }),
    );
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email: "made@example.test", status: "active", role: "user" });

    // The environment says open; the admin's run-time choice wins.
    await setEnv({ SIGNUP_POLICY: "open" });
    await adminSettings.PATCH(jsonRequest("/api/v1/admin/settings", "PATCH", admin.headers, { signup_policy: "approval" }));
    const waiting = await signup("waiting@example.test");
    expect(waiting.status).toBe(201);
    const { access_token } = ((await waiting.json()) as { token: { access_token: string } }).token;
    const pending = { authorization: `Bearer ${access_token}` };
    const account = await accountOf("waiting@example.test");
    expect(account.status).toBe("pending");
    const project = await createProjectRow(account.userId);
    const session = await createSessionRow(account.userId, project.id);
    const before = standin().requests.length;
    const blocked = await send({ headers: pending }, session.id);
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toMatchObject({ code: "forbidden:pending_approval" });
    expect(standin().requests.length).toBe(before);

    const approved = await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${account.userId}`, "PATCH", admin.headers, { status: "active" }),
      params(account.userId),
    );
    expect(approved.status).toBe(200);
    const sent = await send({ headers: pending }, session.id);
    expect(sent.status).toBe(200);
    await sent.text();
    await backgroundWorkDone();
  });

  it("a disabled user's next request is refused, and they cannot log in again until enabled", async () => {
    const admin = await createTestAdmin();
    expect((await signup("victim@example.test")).status).toBe(201);
    const login = async () =>
      loginRoute.POST(
        jsonRequest("/api/v1/auth/login", "POST", {}, { email: "victim@example.test", password: "correct horse battery" }),
      );
    const { access_token } = ((await (await login()).json()) as { token: { access_token: string } }).token;
    const headers = { authorization: `Bearer ${access_token}` };
    expect((await projectsRoute.GET(jsonRequest("/api/v1/project", "GET", headers))).status).toBe(200);
    const { userId } = await accountOf("victim@example.test");

    const disabled = await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${userId}`, "PATCH", admin.headers, { status: "disabled" }),
      params(userId),
    );
    expect(disabled.status).toBe(200);
    expect((await projectsRoute.GET(jsonRequest("/api/v1/project", "GET", headers))).status).toBe(401);
    expect(await getAuthAdapter().verifyAccessToken(access_token)).toBeNull();
    const again = await login();
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ code: "forbidden:account" });

    await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${userId}`, "PATCH", admin.headers, { status: "active" }),
      params(userId),
    );
    expect((await login()).status).toBe(200);
    // The old session stays ended: disabling revoked it.
    forgetAccountState(userId);
    expect((await projectsRoute.GET(jsonRequest("/api/v1/project", "GET", headers))).status).toBe(401);
  });

  it("refuses a send over the monthly budget with 402 before the model is called", async () => {
    const admin = await createTestAdmin();
    const user = await createTestUser("Spender");
    const project = await createProjectRow(user.user.id);
    const session = await createSessionRow(user.user.id, project.id, STANDIN_MODEL);
    standin().setScript({ reply: "Costly.", cost: 0.5 });
    const first = await send(user, session.id, "one");
    expect(first.status).toBe(200);
    await first.text();
    await backgroundWorkDone();

    const set = await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${user.user.id}`, "PATCH", admin.headers, { monthly_cost_limit: "0.5" }),
      params(user.user.id),
    );
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ monthly_cost_limit: "0.5", over_budget: true });
    const before = standin().requests.length;
    const refused = await send(user, session.id, "two");
    expect(refused.status).toBe(402);
    expect(await refused.json()).toMatchObject({ code: "budget_exceeded:chat" });
    expect(standin().requests.length).toBe(before);
    // Nothing was stored for the refused send.
    const history = await (await db()).select().from(usageEvents).where(eq(usageEvents.ownerId, user.user.id));
    expect(history.filter((row) => row.kind === "reply")).toHaveLength(1);

    // A token limit alone refuses too; removing both lets the user chat again.
    await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${user.user.id}`, "PATCH", admin.headers, {
        monthly_cost_limit: null,
        monthly_token_limit: 1,
      }),
      params(user.user.id),
    );
    expect((await send(user, session.id, "three")).status).toBe(402);
    await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${user.user.id}`, "PATCH", admin.headers, { monthly_token_limit: null }),
      params(user.user.id),
    );
    const allowed = await send(user, session.id, "four");
    expect(allowed.status).toBe(200);
    await allowed.text();
    await backgroundWorkDone();

    const usage = await adminUserUsage.GET(
      jsonRequest(`/api/v1/admin/users/${user.user.id}/usage?group_by=model`, "GET", admin.headers),
      params(user.user.id),
    );
    expect(usage.status).toBe(200);
    const report = (await usage.json()) as { totals: { cost: string; calls: number } };
    expect(Number(report.totals.cost)).toBeGreaterThanOrEqual(1);
  });

  it("does not count usage billed to the user's own OpenRouter key against the team's budget", async () => {
    const admin = await createTestAdmin();
    const user = await createTestUser("Own key");
    const project = await createProjectRow(user.user.id);
    const session = await createSessionRow(user.user.id, project.id, STANDIN_MODEL);
    standin().setScript({ reply: "Costly.", cost: 0.5 });
    const first = await send(user, session.id, "one");
    expect(first.status).toBe(200);
    await first.text();
    await backgroundWorkDone();
    // As a reply made with the user's own key is recorded (lib/user-keys): billed to them, not to the team.
    await (await db()).update(usageEvents).set({ billedToUserKey: true }).where(eq(usageEvents.ownerId, user.user.id));

    const set = await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${user.user.id}`, "PATCH", admin.headers, { monthly_cost_limit: "0.5" }),
      params(user.user.id),
    );
    expect(await set.json()).toMatchObject({ monthly_cost_limit: "0.5", over_budget: false });
    const allowed = await send(user, session.id, "two");
    expect(allowed.status).toBe(200);
    await allowed.text();
    await backgroundWorkDone();
  });

  it("records every admin change in the audit log, shown by the API", async () => {
    const admin = await createTestAdmin("Auditor");
    const target = await createTestUser("Audited");
    await projectsRoute.GET(jsonRequest("/api/v1/project", "GET", target.headers));
    await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${target.user.id}`, "PATCH", admin.headers, { role: "admin", monthly_token_limit: 1000 }),
      params(target.user.id),
    );
    await adminSettings.PATCH(jsonRequest("/api/v1/admin/settings", "PATCH", admin.headers, { user_keys_enabled: false }));
    const deleted = await adminUser.DELETE(
      jsonRequest(`/api/v1/admin/users/${target.user.id}`, "DELETE", admin.headers),
      params(target.user.id),
    );
    expect(deleted.status).toBe(204);
    expect(await (await db()).select().from(users).where(eq(users.id, target.user.id))).toHaveLength(0);

    const log = await adminAuditRoute.GET(jsonRequest("/api/v1/admin/audit", "GET", admin.headers));
    const { items } = (await log.json()) as { items: { action: string; actor_id: string; target_id: string | null }[] };
    const mine = items.filter((item) => item.actor_id === admin.user.id).map((item) => item.action);
    // One PATCH made two changes: both recorded, in one transaction (same instant, so their order is free).
    expect(mine.slice(0, 2)).toEqual(["user.delete", "settings.update"]);
    expect(mine.slice(2).sort()).toEqual(["user.budget", "user.role"]);
    const rows = await (await db()).select().from(adminAudit).where(eq(adminAudit.actorId, admin.user.id));
    expect(rows.every((row) => row.actorEmail === admin.user.email)).toBe(true);
  });

  it("the run-time model allow-list and default model override the environment's", async () => {
    const admin = await createTestAdmin();
    const patched = await adminSettings.PATCH(
      jsonRequest("/api/v1/admin/settings", "PATCH", admin.headers, {
        model_allow_list: ["qwen/qwen3-coder:free", STANDIN_MODEL],
        default_model: "qwen/qwen3-coder:free",
      }),
    );
    expect(patched.status).toBe(200);
    const listed = (await (await models.GET(jsonRequest("/api/v1/project/available-models", "GET", admin.headers))).json()) as
      { id: string }[] | { models: { id: string }[] };
    const ids = (Array.isArray(listed) ? listed : listed.models).map((m) => m.id);
    expect(ids).toContain("qwen/qwen3-coder:free");
    expect(ids).not.toContain("deepseek/deepseek-r1-0528:free");
    const { getDefaultModelId } = await import("@/lib/ai/models");
    expect(await getDefaultModelId()).toBe("qwen/qwen3-coder:free");
  });
});
