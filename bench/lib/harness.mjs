// The pieces `npm run bench` stands on: a throw-away Postgres database, the OpenRouter stand-in in its own
// process, and the production server (`next start`) wired to both. Everything started here is stopped by
// `stopAll()` (run.mjs calls it on exit and on Ctrl-C), so a failed run leaves no server or database behind.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { processTree, root, startNextServer } from "../../tests/support/next-server.ts";
import { waitFor } from "../../tests/support/wait.ts";

/**
 * @import { ChildProcess } from "node:child_process"
 * @import { Sql } from "postgres"
 * @import { NextServer } from "../../tests/support/next-server.ts"
 * @import { BenchUser } from "./client.mjs"
 */

/** @typedef {{ name: string, url: string, sql: Sql }} BenchDatabase */
/** @typedef {{ baseUrl: string, port: number, stop: () => Promise<void> }} BenchStandin */
/** @typedef {{ url: string, pid: number, stop: () => Promise<void> }} BenchServer */
/**
 * What run.mjs sets up once and hands to every section but rss (which starts its own server).
 * @typedef {{ db: BenchDatabase, standin: BenchStandin, server: BenchServer, user: BenchUser, scale: number, env: Record<string, string> }} BenchContext
 */

export { root };
/** @type {Set<ChildProcess>} The stand-ins' processes and the servers, stopped by stopAll(). */
const children = new Set();
/** @type {Set<NextServer>} */
const servers = new Set();
/** @type {Map<string, Sql>} name → its postgres.js client, ended before the database is dropped. */
const databases = new Map();

export const PG_SERVER = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
/** A fixed, bench-only signing secret (the server needs one with DATABASE_URL in production mode). */
const AUTH_SECRET = "bench-only-secret-not-for-production-use-0123456789";

/** `next build` when there is no production build yet (a failed build deletes .next, so BUILD_ID is the test). */
export function ensureBuild() {
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  console.info("[bench] no production build: running next build…");
  const result = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

/** @param {string} statement */
async function onServer(statement) {
  const admin = postgres(`${PG_SERVER}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 2 });
  }
}

/**
 * A fresh database named parley_bench_<label>; dropped by stopAll().
 * @param {string} label
 * @returns {Promise<BenchDatabase>}
 */
export async function createDatabase(label) {
  const name = `parley_bench_${label}_${process.pid}`;
  if (!/^parley_bench_[a-z0-9_]+$/.test(name)) throw new Error(`bad bench database name ${name}`);
  await onServer(`drop database if exists "${name}" with (force)`);
  await onServer(`create database "${name}"`);
  const url = `${PG_SERVER}/${name}`;
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  databases.set(name, sql);
  return { name, url, sql };
}

/** @param {string} name */
async function dropDatabase(name) {
  await databases
    .get(name)
    ?.end({ timeout: 2 })
    .catch(() => {});
  await onServer(`drop database if exists "${name}" with (force)`).catch((error) =>
    console.error(`[bench] could not drop ${name}:`, error.message),
  );
  databases.delete(name);
}

/**
 * @param {ChildProcess} child
 * @param {string} name
 */
function track(child, name) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  child.stderr?.on("data", (chunk) => {
    const text = String(chunk);
    if (!/ExperimentalWarning|--trace-warnings/.test(text)) process.stderr.write(`[${name}] ${text}`);
  });
  return child;
}

/**
 * Polls `check` until it is true; a process that exited (e.g. refused its configuration) fails at once.
 * @param {() => Promise<boolean>} check
 * @param {string} what
 * @param {number} timeoutMs
 * @param {ChildProcess} child
 */
function waitUntilUp(check, what, timeoutMs, child) {
  return waitFor(
    async () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`[bench] ${what} exited (${child.exitCode ?? child.signalCode}) before it came up`);
      return (await check().catch(() => false)) || undefined;
    },
    timeoutMs,
    `[bench] ${what} to come up`,
  );
}

/**
 * The OpenRouter stand-in (tests/support/openrouter-standin.ts, run by Node's type stripping) in its own
 * process, so its event loop is not the benchmark client's: the baseline is a real separate upstream.
 * @param {{ port: number, ttftMs: number, tokenDelayMs: number, reply: string }} options
 * @returns {Promise<BenchStandin>}
 */
export async function startStandin({ port, ttftMs, tokenDelayMs, reply }) {
  const child = track(
    spawn(
      process.execPath,
      [
        path.join(root, "tests/support/openrouter-standin.ts"),
        "--port",
        String(port),
        "--ttft",
        String(ttftMs),
        "--token-delay",
        String(tokenDelayMs),
        "--reply",
        reply,
      ],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    ),
    "standin",
  );
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  await waitUntilUp(async () => (await fetch(`${baseUrl}/models`)).ok, "the stand-in", 60_000, child);
  return { baseUrl, port, stop: () => stopChild(child) };
}

/**
 * `next start` on a port, against a database and a stand-in (tests/support/next-server.ts starts and stops it).
 * `env` is applied last, so a run can set any server variable (e.g. RATE_LIMIT_MESSAGES_PER_MINUTE high, so the
 * bench measures the path, not the limiter).
 * @param {{ port: number, databaseUrl: string, standinUrl: string, env?: Record<string, string> }} options
 * @returns {Promise<BenchServer>}
 */
export async function startServer({ port, databaseUrl, standinUrl, env = {} }) {
  const server = await startNextServer({
    port,
    readyTimeoutMs: 60_000,
    onOutput: (chunk, stream) => {
      const text = String(chunk);
      if (stream === "stdout" ? process.env.BENCH_VERBOSE : !/ExperimentalWarning|--trace-warnings/.test(text))
        process[stream].write(`[next] ${text}`);
    },
    env: {
      DATABASE_URL: databaseUrl,
      AUTH_SECRET,
      NEXT_PUBLIC_SUPABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
      OPENROUTER_API_KEY: "sk-or-bench",
      OPENROUTER_BASE_URL: standinUrl,
      OPENROUTER_MODELS: "",
      OPENAI_COMPATIBLE_BASE_URL: "",
      REDIS_URL: "",
      ...env,
    },
  });
  servers.add(server);
  void server.exited.then(() => servers.delete(server));
  // Set once spawned, and startNextServer resolves only once the server answers.
  const pid = /** @type {number} */ (server.process.pid);
  return { url: server.url, pid, stop: () => server.stop(10_000) };
}

/**
 * @param {ChildProcess} child
 * @returns {Promise<void>}
 */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Resident memory of a process and all its descendants, in bytes (Linux /proc).
 * @param {number} pid
 */
export function treeRss(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

export async function stopAll() {
  await Promise.all([...[...servers].map((server) => server.stop(10_000)), ...[...children].map((child) => stopChild(child))]);
  for (const name of [...databases.keys()]) await dropDatabase(name);
}
