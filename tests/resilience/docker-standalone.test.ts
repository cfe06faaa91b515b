import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OFFLINE_MODEL_ID } from "@/lib/ai/types";
import { layOutRuntimeImage, readDockerfile, type RuntimeImage } from "@/tests/support/docker-files";
import { root, startNextServer, type NextServer } from "@/tests/support/next-server";
import { createProject, createSession, signUp, streamMessage, type ApiUser } from "@/tests/support/rest-client";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";

/**
 * The Docker image without Docker (no image can be pulled on the test machines): a folder laid out by the
 * Dockerfile's runtime-stage COPY lines from this build's output, its CMD (`node server.js`) run with its ENV,
 * against PostgreSQL as docker-compose.yml runs it, then alone on the embedded database as `docker run` would.
 * It checks /health (and the image's HEALTHCHECK command), a page's static files, a REST sign-up and a streamed
 * chat with the offline model, stored. A COPY of something the build does not make fails here, as it would fail
 * `docker build`; a file the standalone server needs but did not trace (PGlite's WASM, the migrations) fails here
 * as it would in the container.
 */
const PORT = 3530;
const tmp = path.join(root, ".test-tmp", "docker-standalone");

let image: RuntimeImage;
let db: ThrowawayDatabase | undefined;
let server: NextServer | undefined;

function start(env: Record<string, string>): Promise<NextServer> {
  return startNextServer({
    port: PORT,
    standaloneServer: path.join(image.dir, image.cmd[1]!),
    logFile: path.join(tmp, "server.log"),
    // As the container: the image's ENV, then what Compose sets. PORT and HOSTNAME are the test's (loopback, a
    // free port); the data folder is a private one instead of the image's /data volume.
    env: { ...image.env, PARLEY_DATA_DIR: path.join(tmp, "data"), REDIS_URL: "", ...env },
  });
}

/** Runs the Dockerfile's HEALTHCHECK command as Docker would inside the container; resolves to its exit code. */
function healthcheck(port: number): Promise<number> {
  const [command, ...args] = image.healthcheck.command;
  expect(command).toBe("node");
  return new Promise((resolve) =>
    execFile(process.execPath, args, { env: { ...process.env, ...image.env, PORT: String(port) }, timeout: 30_000 }, (error) =>
      resolve(error ? (typeof error.code === "number" ? error.code : -1) : 0),
    ),
  );
}

/** Resident memory of the server process, in MB, for the log (a figure, not an assertion). */
function rssMb(app: NextServer): number {
  const status = fs.readFileSync(`/proc/${app.process.pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024);
}

beforeAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  image = layOutRuntimeImage(readDockerfile(), path.join(tmp, "app"));
  db = await createThrowawayDatabase("parley_resil_docker");
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it("serves health, static files, sign-up and a streamed chat from the image's layout on PostgreSQL", async () => {
  server = await start({
    DATABASE_URL: db!.url,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    // As Compose with its Redis; without one on this machine, in memory.
    REDIS_URL: process.env.TEST_REDIS_URL ?? "",
  });

  const health = await fetch(`${server.url}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: "healthy", database: "ok" });
  expect(await healthcheck(PORT)).toBe(0);
  expect(await healthcheck(PORT + 1)).not.toBe(0); // nothing listens there: the check can fail

  // The static files are copied beside the standalone server, not made by it: a page's stylesheet must load.
  const page = await (await fetch(`${server.url}/login`)).text();
  const assets = [...page.matchAll(/\/_next\/static\/[^"'\s]+\.(?:css|js)/g)].map((m) => m[0]);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of new Set(assets)) expect((await fetch(`${server.url}${asset}`)).status, asset).toBe(200);

  const user: ApiUser = await signUp(server.url);
  const project = await createProject(server.url, user, { default_model: OFFLINE_MODEL_ID });
  const session = await createSession(server.url, user, project.id, OFFLINE_MODEL_ID);
  const outcome = await streamMessage(server.url, user, session.id, "Hello from the container");
  expect(outcome).toMatchObject({ status: 200, done: true, error: undefined });
  expect(outcome.text).toContain("offline model");
  expect(outcome.events.filter((e) => e.data !== "[DONE]").length).toBeGreaterThan(1); // streamed, not one block

  const history = await fetch(`${server.url}/api/v1/sessions/${session.id}/history`, { headers: user.headers });
  const messages = (await history.json()) as { role: string; content: string }[];
  expect(messages.map((m) => [m.role, m.content])).toEqual([
    ["user", "Hello from the container"],
    ["assistant", outcome.text],
  ]);
  console.log(`[resilience:docker] standalone server on PostgreSQL: ${rssMb(server)} MB resident after one chat`);
  await server.stop();
  server = undefined;
});

it("runs alone on the embedded database, as `docker run` with a volume does", async () => {
  server = await start({});
  expect(server.output()).toContain(`[parley] database ready (embedded, ${path.join(tmp, "data")})`);
  expect(await healthcheck(PORT)).toBe(0);
  const user = await signUp(server.url);
  const projects = await fetch(`${server.url}/api/v1/project`, { headers: user.headers });
  expect(projects.status).toBe(200);
  expect(await projects.json()).toEqual([]);
  console.log(`[resilience:docker] standalone server on the embedded database: ${rssMb(server)} MB resident`);
});
