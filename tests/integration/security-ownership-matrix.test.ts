import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { cookieJar } from "../support/next-cookies";
import { createTestAccount, createTestAdmin } from "../support/admin";
import {
  call,
  createOwnedFixture,
  discoverRoutes,
  drain,
  isPublic,
  routeKey,
  secretsOf,
  setUpSecurityScene,
  snapshotOf,
  type OwnedFixture,
  type SecurityScene,
} from "../support/security-routes";

vi.mock("next/headers", () => import("../support/next-cookies"));

/**
 * What each route needs to be called VALIDLY on a resource of the owner's. `other` says what another user
 * must get: "404" for anything naming a resource, or "own" for collection routes, which answer about the
 * caller's own data (2xx, but never a trace of the owner's).
 */
interface MatrixEntry {
  body?: (f: OwnedFixture) => unknown;
  query?: (f: OwnedFixture) => string;
  /** "admin": an admin route, where every non-admin (owner and other alike) gets 404 and an admin succeeds. */
  other: "404" | "own" | "admin";
}

const MATRIX: Record<string, MatrixEntry> = {
  "GET /api/v1/project": { other: "own" },
  "POST /api/v1/project": { body: () => ({ project_name: "x" }), other: "own" },
  "GET /api/v1/project/available-models": { other: "own" },
  "GET /api/v1/project/[id]": { other: "404" },
  "PATCH /api/v1/project/[id]": { body: () => ({ project_name: "x", system_prompt: "leak" }), other: "404" },
  "DELETE /api/v1/project/[id]": { other: "404" },
  "GET /api/v1/sessions": { query: (f) => `?project_id=${f.projectId}`, other: "own" },
  "POST /api/v1/sessions": { body: (f) => ({ project_id: f.projectId, title: "x", chat_model: "offline" }), other: "404" },
  "GET /api/v1/sessions/[id]": { other: "404" },
  "PATCH /api/v1/sessions/[id]": {
    body: () => ({ title: "x", chat_model: "offline", pinned: true, archived: true }),
    other: "404",
  },
  "DELETE /api/v1/sessions/[id]": { other: "404" },
  "GET /api/v1/sessions/[id]/history": { other: "404" },
  "GET /api/v1/sessions/[id]/memory": { other: "404" },
  "PUT /api/v1/sessions/[id]/active-leaf": { body: (f) => ({ message_id: f.messageIds[0] }), other: "404" },
  "POST /api/v1/sessions/[id]/chat": { body: () => ({ message: "hi" }), other: "404" },
  "POST /api/v1/sessions/[id]/chat/stream": { body: () => ({ message: "hi" }), other: "404" },
  "GET /api/v1/sessions/[id]/chat/stream": { other: "404" },
  "GET /api/chat/[sessionId]/stream": { other: "404" },
  "POST /api/chat": {
    body: (f) => ({
      trigger: "submit-message",
      sessionId: f.sessionId,
      message: { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "hi" }] },
    }),
    other: "404",
  },
  "POST /api/chat/[sessionId]/stop": { other: "404" },
  // The owner's exact words and title: another user finds nothing of them.
  "GET /api/v1/search": { query: (f) => `?q=${encodeURIComponent(`${f.messageTexts[0]} ${f.sessionTitle}`)}`, other: "own" },
  "GET /api/v1/export": { other: "own" },
  // By project: the owner's fixture reply is a usage event in their project; another user sees no trace of it.
  "GET /api/v1/usage": { query: () => "?group_by=project", other: "own" },
  // The caller's own key: another user reads, saves and removes their own, never the owner's (the snapshot
  // holds the owner's sealed key, and the owner's key is one of the secrets no answer may carry).
  "GET /api/v1/me/openrouter-key": { other: "own" },
  "PUT /api/v1/me/openrouter-key": { body: () => ({ key: `sk-or-v1-${"b".repeat(64)}` }), other: "own" },
  "DELETE /api/v1/me/openrouter-key": { other: "own" },
  "GET /api/v1/sessions/[id]/export": { query: () => "?format=json", other: "404" },
  // A ChatGPT file into the fixture's project: the project must be the caller's.
  "POST /api/v1/import": {
    query: (f) => `?project_id=${f.projectId}`,
    body: () => [
      {
        title: "imported",
        create_time: 1_700_000_000,
        mapping: {
          r: { id: "r", message: null, parent: null, children: ["q"] },
          q: {
            id: "q",
            message: { id: "q", author: { role: "user" }, content: { content_type: "text", parts: ["hello"] } },
            parent: "r",
            children: [],
          },
        },
        current_node: "q",
      },
    ],
    other: "404",
  },
  // Admin routes: [id] names an account (the owner's in the non-admin cases, a throwaway one for the admin's).
  "GET /api/v1/admin/users": { query: () => "?q=user-", other: "admin" },
  "POST /api/v1/admin/users": {
    body: () => ({ email: `made-${crypto.randomUUID()}@example.test`, password: "long enough pw" }),
    other: "admin",
  },
  "GET /api/v1/admin/users/[id]": { other: "admin" },
  "PATCH /api/v1/admin/users/[id]": { body: () => ({ role: "admin", monthly_cost_limit: "1" }), other: "admin" },
  "DELETE /api/v1/admin/users/[id]": { other: "admin" },
  "GET /api/v1/admin/users/[id]/usage": { query: () => "?group_by=project", other: "admin" },
  "GET /api/v1/admin/settings": { other: "admin" },
  "PATCH /api/v1/admin/settings": { body: () => ({ user_keys_enabled: true }), other: "admin" },
  "GET /api/v1/admin/audit": { other: "admin" },
};

const isAdminRoute = (path: string) => path.startsWith("/api/v1/admin/");

/** Which fixture id a dynamic segment names; an unknown segment must be added here deliberately. */
function paramsFor(path: string, names: string[], f: OwnedFixture, account?: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    if (name === "id" && isAdminRoute(path)) values[name] = account ?? f.ownerId;
    else if (name === "projectId" || (name === "id" && path.startsWith("/api/v1/project/"))) values[name] = f.projectId;
    else if (name === "sessionId" || (name === "id" && path.startsWith("/api/v1/sessions/"))) values[name] = f.sessionId;
    else if (isPublic({ path })) values[name] = crypto.randomUUID();
    else throw new Error(`add the [${name}] segment of ${path} to paramsFor in the ownership matrix`);
  }
  return values;
}

const routes = await discoverRoutes();
const privateRoutes = routes.filter((r) => !isPublic(r));
const publicRoutes = routes.filter(isPublic);

describe(`ownership matrix over ${routes.length} route handlers (${inject("testDatabase").kind})`, () => {
  let { standin, owner, other, target, before } = {} as SecurityScene;
  let admin: Awaited<ReturnType<typeof createTestAdmin>>;

  beforeAll(async () => {
    ({ standin, owner, other, target, before } = await setUpSecurityScene("target"));
    admin = await createTestAdmin();
  });
  afterAll(async () => {
    cookieJar.clear();
    await standin.close();
  });

  const request = (key: string, f: OwnedFixture) => ({ body: MATRIX[key]?.body?.(f), query: MATRIX[key]?.query?.(f) ?? "" });

  it("discovers the known routes (the glob works)", () => {
    expect(routes.map(routeKey)).toEqual(
      expect.arrayContaining(["GET /api/v1/project/[id]", "POST /api/chat", "POST /api/v1/sessions/[id]/chat/stream"]),
    );
  });

  it.each(privateRoutes.map((r) => [routeKey(r), r] as const))("%s is in the matrix", (key) => {
    expect(MATRIX[key], `add ${key} to the matrix`).toBeDefined();
  });

  it.each(privateRoutes.map((r) => [routeKey(r), r] as const))("%s: anonymous and forged tokens get 401", async (key, route) => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer not-a-token" },
      { authorization: `Bearer ${owner.token}x` },
      { cookie: `${ACCESS_COOKIE}=garbage` },
    ]) {
      const response = await call(route, {
        params: paramsFor(route.path, route.params, target),
        headers,
        ...request(key, target),
      });
      const text = await drain(response);
      expect(response.status, `${key} with ${JSON.stringify(headers)}: ${text}`).toBe(401);
      for (const secret of secretsOf(target)) expect(text).not.toContain(secret);
    }
  });

  it.each(privateRoutes.map((r) => [routeKey(r), r] as const))(
    "%s: another user gets no access and no data",
    async (key, route) => {
      const entry = MATRIX[key];
      expect(entry, `add ${key} to the matrix`).toBeDefined();
      const response = await call(route, {
        params: paramsFor(route.path, route.params, target),
        headers: other.headers,
        ...request(key, target),
      });
      const text = await drain(response);
      if (entry.other !== "own") {
        expect(response.status, `${key}: ${text}`).toBe(404);
        expect(JSON.parse(text)).toMatchObject({ detail: expect.any(String), code: expect.stringMatching(/^not_found:/) });
      } else {
        expect(response.status, `${key}: ${text}`).toBeGreaterThanOrEqual(200);
        expect(response.status, `${key}: ${text}`).toBeLessThan(300);
      }
      for (const secret of secretsOf(target)) expect(text, `${key} leaked ${secret}`).not.toContain(secret);
    },
  );

  it.each(publicRoutes.map((r) => [routeKey(r), r] as const))("%s (public) never fails with a 5xx", async (_key, route) => {
    for (const headers of [{} as Record<string, string>, other.headers, { authorization: "Bearer junk" }]) {
      const response = await call(route, { params: paramsFor(route.path, route.params, target), headers, body: {} });
      const text = await drain(response);
      expect(response.status, text).toBeLessThan(500);
      for (const secret of secretsOf(target)) expect(text).not.toContain(secret);
    }
  });

  // Runs after every attempt above (vitest runs a file's tests in order).
  it("after all of B's and the anonymous attempts, nothing of A's changed", async () => {
    expect(await snapshotOf(owner.user.id)).toEqual(before);
  });

  // The owner is no admin: an admin route answers the owner as it answers anyone (404, no trace of the route).
  it.each(privateRoutes.filter((r) => isAdminRoute(r.path)).map((r) => [routeKey(r), r] as const))(
    "%s: a non-admin owner gets 404",
    async (key, route) => {
      const response = await call(route, {
        params: paramsFor(route.path, route.params, target, owner.user.id),
        headers: owner.headers,
        ...request(key, target),
      });
      const text = await drain(response);
      expect(response.status, `${key}: ${text}`).toBe(404);
      expect(JSON.parse(text), key).toMatchObject({ code: "not_found:route" });
    },
  );

  // The owner's calls go to fresh resources each, so mutations (DELETE, chat) cannot disturb another case. Admin
  // routes are called by an admin, on a throwaway account; their answers carry usage figures, never the owner's
  // chats (the admin API cannot read chat contents).
  it.each(privateRoutes.map((r) => [routeKey(r), r] as const))(
    "%s: the owner (an admin for admin routes) succeeds",
    async (key, route) => {
      const fresh = await createOwnedFixture(owner, "owner-call");
      const adminRoute = isAdminRoute(route.path);
      const account = adminRoute ? (await createTestAccount("Managed")).user.id : undefined;
      const response = await call(route, {
        params: paramsFor(route.path, route.params, fresh, account),
        headers: adminRoute ? admin.headers : owner.headers,
        ...request(key, fresh),
      });
      const text = await drain(response);
      expect(response.status, `${key}: ${text}`).toBeGreaterThanOrEqual(200);
      expect(response.status, `${key}: ${text}`).toBeLessThan(300);
      if (adminRoute) for (const secret of secretsOf(fresh)) expect(text, `${key} showed ${secret}`).not.toContain(secret);
      // The caller's own data: no shared cache may keep it.
      if (response.headers.get("content-type")?.includes("json"))
        expect(response.headers.get("cache-control"), key).toContain("no-store");
    },
  );

  // A malformed id cannot name anything of the caller's: the same 404 as a missing one, on the route's surface.
  it.each(privateRoutes.filter((r) => r.params.length > 0).map((r) => [routeKey(r), r] as const))(
    "%s: a malformed id is a 404 of its resource",
    async (key, route) => {
      const params = Object.fromEntries(route.params.map((name) => [name, "not-a-uuid"]));
      const fixture = await createOwnedFixture(owner, "malformed-id");
      const adminRoute = isAdminRoute(route.path);
      const response = await call(route, {
        params,
        headers: adminRoute ? admin.headers : owner.headers,
        ...request(key, fixture),
      });
      const text = await drain(response);
      expect(response.status, `${key}: ${text}`).toBe(404);
      expect(JSON.parse(text).code, key).toBe(
        adminRoute ? "not_found:user" : route.path.startsWith("/api/v1/project/") ? "not_found:project" : "not_found:session",
      );
    },
  );
});
