import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { securityHeaders } from "@/lib/api/security-headers";
import { installEarlyRefusals } from "@/lib/server/early-refusals";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { createTestUser } from "../support/auth";

/**
 * #12: requests Next itself answered with a bare text/plain 500 and no security headers — a path whose
 * percent-encoding does not decode, an odd method, TRACE, a server action posted from another origin — get a 4xx
 * in the API's error shape, with the security headers, before any route runs.
 */
const BASE = "http://127.0.0.1:3000";
const request = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(`${BASE}${path}`, { method: init.method ?? "GET", headers: { host: "127.0.0.1:3000", ...init.headers } });

async function expectRefusal(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await response.json()).toMatchObject({ code, detail: expect.any(String) });
  for (const { key, value } of securityHeaders) expect(response.headers.get(key), key).toBe(value);
}

describe("#12 the proxy refuses what Next would answer with a 500", () => {
  let token: string;
  beforeAll(async () => {
    token = (await createTestUser()).token;
  });

  it.each(["/api/v1/project/%ZZ", "/api/v1/sessions/%E0%A4%A/history", "/projects/%C0%AF", "/%ff"])(
    "#12 %s: malformed percent-encoding is a 400 JSON, with any credentials",
    async (path) => {
      await expectRefusal(await proxy(request(path, { headers: { authorization: "Bearer anything" } })), 400, "bad_request:path");
      await expectRefusal(
        await proxy(request(path, { headers: { cookie: `${ACCESS_COOKIE}=${token}` } })),
        400,
        "bad_request:path",
      );
      await expectRefusal(await proxy(request(path)), 400, "bad_request:path");
    },
  );

  it.each(["PROPFIND", "MKCOL", "LOCK", "PURGE", "FOO"])("#12 %s is a 405 JSON naming the methods allowed", async (method) => {
    const response = await proxy(request("/api/v1/project", { method, headers: { authorization: "Bearer anything" } }));
    expect(response.headers.get("allow")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    await expectRefusal(response, 405, "method_not_allowed:method");
  });

  it.each([["https://evil.test"], ["null"], ["http://127.0.0.1:3000.evil.test"]])(
    "#12 a server action posted from %s is a 403 JSON, signed in or not",
    async (origin) => {
      for (const headers of [{}, { cookie: `${ACCESS_COOKIE}=${token}` }] as Record<string, string>[]) {
        const response = await proxy(
          request("/projects/x/chats/y", { method: "POST", headers: { ...headers, "next-action": "0123abcd", origin } }),
        );
        await expectRefusal(response, 403, "forbidden:csrf");
      }
      // The public pages' actions (login, register) too: the check comes before "public".
      await expectRefusal(
        await proxy(request("/login", { method: "POST", headers: { "next-action": "0123abcd", origin } })),
        403,
        "forbidden:csrf",
      );
    },
  );

  it("#12 a same-origin server action, a well-formed path and the usual methods pass as before", async () => {
    const own = await proxy(
      request("/projects/x", {
        method: "POST",
        headers: { cookie: `${ACCESS_COOKIE}=${token}`, "next-action": "0123abcd", origin: BASE },
      }),
    );
    expect(own.headers.get("x-middleware-next")).toBe("1");
    const encoded = await proxy(request("/api/v1/project/%20%C3%A9", { headers: { authorization: "Bearer anything" } }));
    expect(encoded.headers.get("x-middleware-next")).toBe("1");
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]) {
      expect(
        (await proxy(request("/api/v1/project", { method, headers: { authorization: "Bearer anything" } }))).headers.get(
          "x-middleware-next",
        ),
        method,
      ).toBe("1");
    }
  });
});

describe("#12 TRACE is answered before Next (which cannot build a Request for it)", () => {
  let server: http.Server;
  let uninstall: () => void;
  let port: number;

  beforeAll(async () => {
    uninstall = installEarlyRefusals();
    // Stands in for Next's server: what it did with TRACE (a bare 500), so a pass-through would show.
    server = http.createServer((req, res) => {
      res.writeHead(req.method === "GET" ? 200 : 500, { "content-type": "text/plain" });
      res.end(req.method === "GET" ? "ok" : "Internal Server Error");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    uninstall();
    await new Promise((resolve) => server.close(resolve));
  });

  // Node's fetch refuses TRACE too: node:http is the one client that sends it.
  const send = (method: string, path: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method, path }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });

  it.each(["/", "/api/v1/project", "/api/v1/project/%ZZ"])(
    "#12 TRACE %s is a 405 JSON with the security headers",
    async (path) => {
      const { status, headers, body } = await send("TRACE", path);
      expect(status).toBe(405);
      expect(headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(body)).toMatchObject({ code: "method_not_allowed:method" });
      for (const { key, value } of securityHeaders) expect(headers[key.toLowerCase()], key).toBe(value);
    },
  );

  it("#12 every other request reaches the server untouched", async () => {
    expect(await send("GET", "/")).toMatchObject({ status: 200, body: "ok" });
  });
});
