import http from "node:http";
import { expect, test } from "@playwright/test";

/**
 * #12 against the production build: what Next answered with a bare text/plain 500 and no security headers is a
 * 4xx in the API's error shape, with the headers. node:http, because Node's fetch (and Playwright's request)
 * will not send TRACE.
 */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  baseURL: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function expectRefusal(answer: Answer, status: number, code: string) {
  expect(answer.status, answer.body.slice(0, 200)).toBe(status);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body)).toMatchObject({ code });
  expect(answer.headers["content-security-policy"]).toContain("default-src 'self'");
  expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  expect(answer.headers["x-frame-options"]).toBe("DENY");
}

test("#12 malformed percent-encoding in a path is a 400 JSON", async ({ baseURL }) => {
  expectRefusal(
    await send(baseURL!, "GET", "/api/v1/project/%ZZ", { authorization: "Bearer anything" }),
    400,
    "bad_request:path",
  );
  expectRefusal(await send(baseURL!, "GET", "/projects/%E0%A4%A"), 400, "bad_request:path");
});

test("#12 TRACE and other odd methods are a 405 JSON", async ({ baseURL }) => {
  expectRefusal(await send(baseURL!, "TRACE", "/api/v1/project"), 405, "method_not_allowed:method");
  expectRefusal(await send(baseURL!, "TRACE", "/"), 405, "method_not_allowed:method");
  expectRefusal(
    await send(baseURL!, "PROPFIND", "/api/v1/project", { authorization: "Bearer anything" }),
    405,
    "method_not_allowed:method",
  );
});

test("#12 a server action posted from another origin is a 403 JSON", async ({ baseURL, request }) => {
  const email = `e2e-${crypto.randomUUID()}@example.test`;
  const signup = await request.post("/api/v1/auth/signup", {
    data: { email, password: "a long enough password", full_name: "Cross origin" },
  });
  expect(signup.status()).toBe(201);
  const token = ((await signup.json()) as { token: { access_token: string } }).token.access_token;
  const headers = {
    cookie: `parley_access=${token}`,
    "next-action": "00".repeat(21),
    origin: "https://evil.test",
    "content-type": "text/plain;charset=UTF-8",
  };
  expectRefusal(await send(baseURL!, "POST", "/", headers, "[]"), 403, "forbidden:csrf");
});
