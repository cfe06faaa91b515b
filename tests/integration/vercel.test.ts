import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import * as uiChat from "@/app/api/chat/route";
import * as restChat from "@/app/api/v1/sessions/[id]/chat/route";
import * as restStream from "@/app/api/v1/sessions/[id]/chat/stream/route";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { GET as listProjects } from "@/app/api/v1/project/route";
import { ConfigError, parseConfig, resetConfigForTests, ROUTE_DURATION_MARGIN_MS, ROUTE_MAX_DURATION_S } from "@/lib/config/env";
import { closeDb, getDatabaseHandle } from "@/lib/db/client";
import { startServer } from "@/lib/server/startup";

/**
 * #13 §3, Vercel: the model-calling routes declare how long they may run, matched to MODEL_TIMEOUT_MS; without a
 * DATABASE_URL the start fails with one line saying what to set; and nothing is ever written to the data folder
 * (serverless functions have no disk to keep it on).
 */
const saved = { ...process.env };
function setEnv(changes: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfigForTests();
}
afterAll(async () => {
  await closeDb();
  for (const key of ["VERCEL", "DATABASE_URL", "PARLEY_DATA_DIR", "AUTH_SECRET"]) setEnv({ [key]: saved[key] });
});
afterEach(() => vi.restoreAllMocks());

const freshDataDir = () => path.join(os.tmpdir(), `parley-vercel-${randomUUID()}`);

describe("#13 maxDuration of the chat routes", () => {
  it.each([
    ["/api/chat", uiChat],
    ["/api/v1/sessions/{id}/chat", restChat],
    ["/api/v1/sessions/{id}/chat/stream", restStream],
  ])("#13 %s may run as long as a reply and its summary at the default MODEL_TIMEOUT_MS", (_, route) => {
    expect(route.maxDuration).toBe(ROUTE_MAX_DURATION_S);
    const defaultTimeoutMs = parseConfig({}).modelTimeoutMs;
    expect(route.maxDuration * 1000).toBeGreaterThanOrEqual(2 * defaultTimeoutMs + ROUTE_DURATION_MARGIN_MS);
  });
});

class Exited extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${code})`);
  }
}

describe("#13 no writable disk on Vercel", () => {
  it("#13 VERCEL=1 without DATABASE_URL: the start fails with one line naming what to set, and writes nothing", async () => {
    await closeDb();
    const dataDir = freshDataDir();
    setEnv({ VERCEL: "1", DATABASE_URL: undefined, PARLEY_DATA_DIR: dataDir });
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(process, "exit").mockImplementation((code) => {
      throw new Exited(code === undefined ? undefined : Number(code));
    });

    // instrumentation.ts runs this when the function starts, before its first request.
    const exit = await startServer().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(exit).toBeInstanceOf(Exited);
    expect((exit as Exited).code).toBe(1);
    expect(printed).toHaveBeenCalledTimes(1);
    const line = String(printed.mock.calls[0]![0]);
    expect(line).toMatch(/^\[parley\] Invalid configuration: DATABASE_URL is required on Vercel: .*Set it to your Postgres/);
    expect(line.split("\n")).toHaveLength(1);
    // A request reaching the database anyway is refused the same way, before anything opens the data folder.
    expect(() => getDatabaseHandle()).toThrow(ConfigError);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it.runIf(saved.DATABASE_URL)(
    "#13 VERCEL=1 with DATABASE_URL and AUTH_SECRET: sign-up, log-in and the API never create the data folder",
    async () => {
      await closeDb();
      const dataDir = freshDataDir();
      setEnv({ VERCEL: "1", DATABASE_URL: saved.DATABASE_URL, PARLEY_DATA_DIR: dataDir, AUTH_SECRET: "v".repeat(40) });
      const email = `vercel-${randomUUID()}@example.test`;
      const post = (url: string, body: unknown) =>
        new Request(`http://127.0.0.1:3000${url}`, {
          method: "POST",
          headers: { "content-type": "application/json", host: "127.0.0.1:3000" },
          body: JSON.stringify(body),
        });
      expect((await signup(post("/api/v1/auth/signup", { email, password: "correct horse battery" }))).status).toBe(201);
      const loggedIn = await login(post("/api/v1/auth/login", { email, password: "correct horse battery" }));
      expect(loggedIn.status).toBe(200);
      const { token } = (await loggedIn.json()) as { token: { access_token: string } };
      const list = await listProjects(
        new Request("http://127.0.0.1:3000/api/v1/project", { headers: { authorization: `Bearer ${token.access_token}` } }),
        { params: Promise.resolve({}) },
      );
      expect(list.status).toBe(200);
      expect((await getDatabaseHandle()).kind).toBe("postgres");
      expect(fs.existsSync(dataDir)).toBe(false);
    },
  );
});
