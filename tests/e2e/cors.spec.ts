import { expect, test, type Page } from "@playwright/test";
import { corsClientsOf } from "./support/cors";

/**
 * #13 §2 in Chromium: a page on another origin uses the REST API, as the original platform's frontend does
 * (`credentials: "include"`), and as a token client does (bearer). The e2e server lists one origin in
 * CORS_ORIGINS (tests/e2e/server.mjs): a page there signs up, lists and creates projects, creates a chat and reads
 * its SSE stream; a page on an unlisted origin gets nothing, the browser refusing every answer. Both pages are
 * blank ones on loopback origins of the same site as the API (tests/e2e/support/cors.ts), so cookies go with
 * `credentials: "include"` and only CORS tells the two apart.
 */

/** Opens the blank page at `origin`: its scripts then run with that origin. */
async function openPageAt(page: Page, origin: string) {
  await page.goto(`${origin}/`);
}

test.describe("#13 the REST API from another origin", () => {
  test("#13 an allowed origin signs up, lists and creates projects, makes a chat and reads its stream", async ({
    page,
    baseURL,
  }) => {
    await openPageAt(page, corsClientsOf(baseURL!).allowed);
    const result = await page.evaluate(async (api) => {
      const jsonHeaders = { "content-type": "application/json" };
      const email = `cors-${crypto.randomUUID()}@example.test`;
      const signup = await fetch(`${api}/api/v1/auth/signup`, {
        method: "POST",
        credentials: "include",
        headers: jsonHeaders,
        body: JSON.stringify({ email, password: "a long enough password", full_name: "Cross Origin" }),
      });
      const signed = (await signup.json()) as { token: { access_token: string } };
      const bearer = { authorization: `Bearer ${signed.token.access_token}` };

      // With the session cookie sign-up set (no token in sight), as `withCredentials: true` clients work.
      const emptyList = await fetch(`${api}/api/v1/project`, { credentials: "include" });
      const byCookie = await fetch(`${api}/api/v1/project`, {
        method: "POST",
        credentials: "include",
        headers: jsonHeaders,
        body: JSON.stringify({ project_name: "By cookie", default_model: "offline" }),
      });
      // With the bearer token, no cookie.
      const byToken = await fetch(`${api}/api/v1/project`, {
        method: "POST",
        credentials: "omit",
        headers: { ...jsonHeaders, ...bearer },
        body: JSON.stringify({ project_name: "By token", default_model: "offline" }),
      });
      const firstPage = await fetch(`${api}/api/v1/project?limit=1`, { credentials: "omit", headers: bearer });
      const project = (await byToken.json()) as { id: string };
      const session = await fetch(`${api}/api/v1/sessions`, {
        method: "POST",
        credentials: "include",
        headers: { ...jsonHeaders, ...bearer },
        body: JSON.stringify({ project_id: project.id, chat_model: "offline" }),
      });
      const sessionId = ((await session.json()) as { id: string }).id;
      const stream = await fetch(`${api}/api/v1/sessions/${sessionId}/chat/stream`, {
        method: "POST",
        credentials: "include",
        headers: { ...jsonHeaders, ...bearer, accept: "text/event-stream" },
        body: JSON.stringify({ message: "Hello from another origin" }),
      });
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      let body = "";
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) body += decoder.decode(chunk.value);
      const missing = await fetch(`${api}/api/v1/project/00000000-0000-4000-8000-000000000000`, { headers: bearer });
      return {
        signup: signup.status,
        hasToken: signed.token.access_token.length > 0,
        emptyList: [emptyList.status, await emptyList.json()],
        byCookie: [byCookie.status, byCookie.headers.get("location")],
        byToken: byToken.status,
        firstPage: [firstPage.status, ((await firstPage.json()) as unknown[]).length, firstPage.headers.get("x-next-cursor")],
        session: session.status,
        stream: [stream.status, stream.headers.get("content-type"), body],
        missing: [missing.status, ((await missing.json()) as { code: string }).code],
      };
    }, baseURL!);

    expect(result.signup).toBe(201);
    expect(result.hasToken).toBe(true);
    expect(result.emptyList).toEqual([200, []]);
    expect(result.byCookie[0]).toBe(201);
    expect(result.byCookie[1]).toMatch(/^\/api\/v1\/project\/[0-9a-f-]{36}$/);
    expect(result.byToken).toBe(201);
    const [listed, length, cursor] = result.firstPage;
    expect([listed, length]).toEqual([200, 1]);
    expect(cursor, "X-Next-Cursor must be readable cross-origin").toBeTruthy();
    expect(result.session).toBe(201);
    const [streamStatus, contentType, events] = result.stream as [number, string, string];
    expect(streamStatus).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(events).toContain("data: [DONE]");
    expect(result.missing).toEqual([404, "not_found:project"]);
  });

  test("#13 an unlisted origin is refused by the browser, with a cookie or a token", async ({ page, baseURL, request }) => {
    // A real session on the API's own origin, whose cookie a page elsewhere on the site would send along.
    const email = `cors-${crypto.randomUUID()}@example.test`;
    const signup = await request.post("/api/v1/auth/signup", { data: { email, password: "a long enough password" } });
    expect(signup.status()).toBe(201);
    const token = ((await signup.json()) as { token: { access_token: string } }).token.access_token;
    await page.context().addCookies([{ name: "parley_access", value: token, url: baseURL!, httpOnly: true, sameSite: "Lax" }]);

    await openPageAt(page, corsClientsOf(baseURL!).other);
    const outcomes = await page.evaluate(
      async ({ api, token }) => {
        const attempt = (path: string, init: RequestInit) =>
          fetch(`${api}${path}`, init).then(
            (response) => `answered ${response.status}`,
            (error: unknown) => `rejected ${(error as Error).name}`,
          );
        return [
          await attempt("/api/v1/project", { credentials: "include" }),
          await attempt("/api/v1/project", { headers: { authorization: `Bearer ${token}` } }),
          await attempt("/api/v1/project", {
            method: "POST",
            credentials: "include",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ project_name: "Should not exist" }),
          }),
          await attempt("/api/v1/auth/login", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email: "x@example.test", password: "a long enough password" }),
          }),
        ];
      },
      { api: baseURL!, token },
    );
    expect(outcomes).toEqual(["rejected TypeError", "rejected TypeError", "rejected TypeError", "rejected TypeError"]);
    // The refused POST never ran: its preflight got no permission, so the browser did not send it.
    const projects = await request.get("/api/v1/project", { headers: { authorization: `Bearer ${token}` } });
    expect(await projects.json()).toEqual([]);
  });

  test("#13 the built server's answers carry the headers: preflight, 401 and the SSE stream", async ({ request, baseURL }) => {
    const origin = corsClientsOf(baseURL!).allowed;
    const preflight = await request.fetch("/api/v1/sessions/00000000-0000-4000-8000-000000000000/chat/stream", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status()).toBe(204);
    expect(preflight.headers()).toMatchObject({
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
    });
    expect(preflight.headers()["access-control-allow-headers"]).toMatch(/Authorization.*Content-Type.*Last-Event-ID/);

    const unauthenticated = await request.get("/api/v1/project", { headers: { origin } });
    expect(unauthenticated.status()).toBe(401);
    expect(unauthenticated.headers()).toMatchObject({
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
    });
    expect(unauthenticated.headers()["vary"]).toMatch(/Origin/);
    expect(unauthenticated.headers()["access-control-expose-headers"]).toMatch(/X-Next-Cursor.*Retry-After/);

    const elsewhere = await request.get("/api/v1/project", { headers: { origin: "https://evil.example" } });
    expect(Object.keys(elsewhere.headers()).filter((name) => name.startsWith("access-control-"))).toEqual([]);
  });
});
