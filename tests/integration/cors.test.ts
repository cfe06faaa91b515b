import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import * as projectRoute from "@/app/api/v1/project/route";
import * as projectItemRoute from "@/app/api/v1/project/[id]/route";
import * as streamRoute from "@/app/api/v1/sessions/[id]/chat/stream/route";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { PREFLIGHT_MAX_AGE_S } from "@/lib/api/cors";
import { OFFLINE_MODEL_ID } from "@/lib/ai/models";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { resetConfigForTests } from "@/lib/config/env";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { createTestUser } from "../support/auth";
import { backgroundWorkDone, createProjectRow, createSessionRow, parseSse } from "../support/chat-fixtures";

/**
 * #13 §2: browser clients on the origins in CORS_ORIGINS can use /api/v1 (preflights answered without
 * authentication; every answer, errors and SSE included, readable by them); any other origin gets no CORS header,
 * so the browser keeps the answer from its page. Requests go through proxy.ts and then the route, with the
 * proxy's headers put on the route's answer as Next does (tests/e2e/cors.spec.ts checks the same in Chromium
 * against the built server).
 */
const APP = "http://127.0.0.1:3000";
const CLIENT = "https://client.example";
const OTHER = "https://evil.example";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  return new NextRequest(`${APP}${path}`, {
    method: init.method ?? "GET",
    headers: {
      host: "127.0.0.1:3000",
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/**
 * The proxy, then (if it lets the request through) the route, the answer carrying the proxy's headers as Next
 * merges them (next/dist/server/lib/router-utils/resolve-routes.js, send-response.js): the proxy's first, the
 * route's only where absent, `Vary` from both.
 */
async function viaProxy(incoming: NextRequest, handler?: Handler, id = ""): Promise<Response> {
  const gate = await proxy(incoming);
  if (gate.headers.get("x-middleware-next") !== "1") return gate;
  if (!handler) throw new Error(`the proxy let ${incoming.method} ${incoming.nextUrl.pathname} through: pass its route`);
  const answer = await handler(incoming, { params: Promise.resolve<Record<string, string>>(id ? { id } : {}) });
  const headers = new Headers();
  gate.headers.forEach((value, name) => {
    if (!name.startsWith("x-middleware-")) headers.set(name, value);
  });
  answer.headers.forEach((value, name) => {
    if (name === "vary") headers.append(name, value);
    else if (!headers.has(name)) headers.set(name, value);
  });
  return new Response(answer.body, { status: answer.status, headers });
}

const corsHeaderNames = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));

function expectAllowed(response: Response, origin = CLIENT) {
  expect(response.headers.get("access-control-allow-origin")).toBe(origin);
  expect(response.headers.get("access-control-allow-credentials")).toBe("true");
  expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
  const exposed = response.headers.get("access-control-expose-headers")?.split(/,\s*/) ?? [];
  expect(exposed).toEqual(expect.arrayContaining(["X-Next-Cursor", "Retry-After"]));
}

function expectNoCors(response: Response) {
  expect(corsHeaderNames(response)).toEqual([]);
  // Caches must still key on Origin: the same URL answers other origins differently.
  expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
}

const preflight = (path: string, origin: string, method = "POST", headers = "authorization,content-type") =>
  request(path, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
  });

const savedOrigins = process.env.CORS_ORIGINS;
beforeAll(() => {
  // Listed with a trailing slash and upper case, as people write them: matched as browsers send Origin.
  process.env.CORS_ORIGINS = `HTTPS://Client.Example/, http://localhost:5173`;
  resetConfigForTests();
});
afterAll(() => {
  process.env.CORS_ORIGINS = savedOrigins;
  resetConfigForTests();
});

describe("#13 CORS preflights", () => {
  it.each([
    ["/api/v1/project", "GET"],
    ["/api/v1/project", "POST"],
    ["/api/v1/project/4d1f3f2e-0000-4000-8000-000000000000", "DELETE"],
    ["/api/v1/project/4d1f3f2e-0000-4000-8000-000000000000", "PATCH"],
    ["/api/v1/sessions/4d1f3f2e-0000-4000-8000-000000000000/chat/stream", "POST"],
    ["/api/v1/sessions/4d1f3f2e-0000-4000-8000-000000000000/history/", "GET"],
  ])("#13 OPTIONS %s (%s) from an allowed origin: 204 without credentials, with the permissions", async (path, method) => {
    const response = await viaProxy(preflight(path, CLIENT, method, "authorization,content-type,last-event-id,idempotency-key"));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(CLIENT);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("access-control-allow-methods")?.split(/,\s*/)).toEqual(
      expect.arrayContaining(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    );
    const allowedHeaders = response.headers.get("access-control-allow-headers")?.toLowerCase().split(/,\s*/);
    expect(allowedHeaders).toEqual(expect.arrayContaining(["authorization", "content-type", "last-event-id", "idempotency-key"]));
    expect(response.headers.get("access-control-max-age")).toBe(String(PREFLIGHT_MAX_AGE_S));
    expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
    expect(await response.text()).toBe("");
  });

  it("#13 a preflight from an unlisted origin (or `null`) gets no permission", async () => {
    for (const origin of [OTHER, "null", "https://client.example.evil.test", "http://client.example"]) {
      const response = await viaProxy(preflight("/api/v1/project", origin));
      expect(response.status).toBe(204);
      expectNoCors(response);
    }
  });

  it("#13 an OPTIONS that is not a preflight is not let through without authentication", async () => {
    const response = await viaProxy(request("/api/v1/project", { method: "OPTIONS", headers: { origin: CLIENT } }));
    expect(response.status).toBe(401);
    expectAllowed(response);
  });
});

describe("#13 CORS headers on answers", () => {
  let user: Awaited<ReturnType<typeof createTestUser>>;
  beforeAll(async () => {
    user = await createTestUser("Cors");
  });
  beforeEach(() => resetRateLimitsForTests());

  it("#13 a cookie-authenticated list from an allowed origin is readable by it, X-Next-Cursor exposed", async () => {
    await createProjectRow(user.user.id);
    await createProjectRow(user.user.id);
    const cookie = `${ACCESS_COOKIE}=${user.token}`;
    const response = await viaProxy(
      request("/api/v1/project?limit=1", { headers: { origin: CLIENT, cookie } }),
      projectRoute.GET as Handler,
    );
    expect(response.status).toBe(200);
    expectAllowed(response);
    expect(response.headers.get("x-next-cursor")).toBeTruthy();
    // Another page's origin: the same answer, but nothing that lets its script read it.
    const other = await viaProxy(
      request("/api/v1/project?limit=1", { headers: { origin: OTHER, cookie } }),
      projectRoute.GET as Handler,
    );
    expect(other.status).toBe(200);
    expectNoCors(other);
  });

  it("#13 the other allowed origin is echoed, never a wildcard", async () => {
    const response = await viaProxy(
      request("/api/v1/project", { headers: { origin: "http://localhost:5173", ...user.headers } }),
      projectRoute.GET as Handler,
    );
    expectAllowed(response, "http://localhost:5173");
  });

  it("#13 errors carry the headers: 401 from the proxy, 404 and 422 from the route, 429 with Retry-After", async () => {
    const unauthenticated = await viaProxy(request("/api/v1/project", { headers: { origin: CLIENT } }));
    expect(unauthenticated.status).toBe(401);
    expectAllowed(unauthenticated);

    const missing = await viaProxy(
      request("/api/v1/project/4d1f3f2e-0000-4000-8000-000000000000", { headers: { origin: CLIENT, ...user.headers } }),
      projectItemRoute.GET as Handler,
      "4d1f3f2e-0000-4000-8000-000000000000",
    );
    expect(missing.status).toBe(404);
    expectAllowed(missing);

    const invalid = await viaProxy(
      request("/api/v1/project", { method: "POST", headers: { origin: CLIENT, ...user.headers }, body: { project_name: "" } }),
      projectRoute.POST as Handler,
    );
    expect(invalid.status).toBe(422);
    expectAllowed(invalid);

    const refusedMethod = await viaProxy(request("/api/v1/project", { method: "PROPFIND", headers: { origin: CLIENT } }));
    expect(refusedMethod.status).toBe(405);
    expectAllowed(refusedMethod);

    // Log-in (a public route) answers 429 after five failures for one email.
    const email = `cors-${Date.now()}@example.test`;
    let limited: Response | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const response = await viaProxy(
        request("/api/v1/auth/login", {
          method: "POST",
          headers: { origin: CLIENT },
          body: { email, password: "wrong password" },
        }),
        login as Handler,
      );
      if (response.status === 429) limited = response;
      else expectAllowed(response);
    }
    expect(limited, "log-in was never limited").toBeDefined();
    expectAllowed(limited!);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("#13 the SSE stream from an allowed origin carries the headers and streams to its end", async () => {
    const project = await createProjectRow(user.user.id);
    const session = await createSessionRow(user.user.id, project.id, OFFLINE_MODEL_ID);
    const response = await viaProxy(
      request(`/api/v1/sessions/${session.id}/chat/stream`, {
        method: "POST",
        headers: { origin: CLIENT, ...user.headers, "last-event-id": "" },
        body: { message: "Hello from another origin" },
      }),
      streamRoute.POST as Handler,
      session.id,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expectAllowed(response);
    const events = await parseSse(response);
    expect(events.at(-1)?.data).toBe("[DONE]");
    await backgroundWorkDone();
  });

  it("#13 the CSRF check uses the same rule: a cookie change from an allowed origin passes, others are refused", async () => {
    const cookie = `${ACCESS_COOKIE}=${user.token}`;
    const create = (origin: string) =>
      viaProxy(
        request("/api/v1/project", { method: "POST", headers: { origin, cookie }, body: { project_name: `From ${origin}` } }),
        projectRoute.POST as Handler,
      );
    const allowed = await create(CLIENT);
    expect(allowed.status).toBe(201);
    expectAllowed(allowed);
    const refused = await create(OTHER);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "forbidden:csrf" });
    expectNoCors(refused);
  });

  it("#13 pages and the UI's own route get no CORS headers", async () => {
    const page = await proxy(request("/login", { headers: { origin: CLIENT } }));
    expect(corsHeaderNames(page)).toEqual([]);
    const ui = await proxy(preflight("/api/chat", CLIENT));
    expect(corsHeaderNames(ui)).toEqual([]);
    expect(ui.status).toBe(401);
  });
});
