// The pieces `npm run bench` stands on: a throw-away Postgres database, the OpenRouter stand-in in its own
// process, and the production server (`next start`) wired to both. Everything started here is stopped by
// `stopAll()` (run.mjs calls it on exit and on Ctrl-C), so a failed run leaves no server or database behind.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

export const root = path.resolve(import.meta.dirname, "..", "..");
const children = new Set();
/** name → its postgres.js client, ended before the database is dropped. */
const databases = new Map();

export const PG_SERVER = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
/** A fixed, bench-only signing secret (the server needs one with DATABASE_URL in production mode). */
const AUTH_SECRET = "bench-only-secret-not-for-production-use-0123456789";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `next build` when there is no production build yet (a failed build deletes .next, so BUILD_ID is the test). */
export function ensureBuild() {
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  console.info("[bench] no production build: running next build…");
  const result = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed");
}

async function onServer(statement) {
  const admin = postgres(`${PG_SERVER}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 2 });
  }
}

/** A fresh database named parley_bench_<label>; dropped by stopAll(). */
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

async function dropDatabase(name) {
  await databases.get(name)?.end({ timeout: 2 }).catch(() => {});
  await onServer(`drop database if exists "${name}" with (force)`).catch((error) => console.error(`[bench] could not drop ${name}:`, error.message));
  databases.delete(name);
}

function track(child, name) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  child.stderr?.on("data", (chunk) => {
    const text = String(chunk);
    if (!/ExperimentalWarning|--trace-warnings/.test(text)) process.stderr.write(`[${name}] ${text}`);
  });
  return child;
}

async function waitFor(check, what, timeoutMs = 60_000, child) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A process that exited (e.g. refused its configuration) will never come up: say so at once.
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`[bench] ${what} exited (${child.exitCode ?? child.signalCode}) before it came up`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`[bench] ${what} did not come up within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * The OpenRouter stand-in (tests/support/openrouter-standin.ts, run by Node's type stripping) in its own
 * process, so its event loop is not the benchmark client's: the baseline is a real separate upstream.
 */
export async function startStandin({ port, ttftMs, tokenDelayMs, reply }) {
  const child = track(
    spawn(process.execPath, [path.join(root, "tests/support/openrouter-standin.ts"), "--port", String(port), "--ttft", String(ttftMs), "--token-delay", String(tokenDelayMs), "--reply", reply], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    }),
    "standin",
  );
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  await waitFor(async () => (await fetch(`${baseUrl}/models`)).ok, "the stand-in", 60_000, child);
  return { baseUrl, port, stop: () => stopChild(child) };
}

/**
 * `next start` on a port, against a database and a stand-in. `env` is applied last, so a run can set any
 * server variable (e.g. RATE_LIMIT_MESSAGES_PER_MINUTE high, so the bench measures the path, not the limiter).
 */
export async function startServer({ port, databaseUrl, standinUrl, env = {} }) {
  const child = track(
    spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        APP_URL: `http://127.0.0.1:${port}`,
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
    }),
    "next",
  );
  child.stdout.on("data", (chunk) => {
    if (process.env.BENCH_VERBOSE) process.stdout.write(`[next] ${chunk}`);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health`)).ok, "next start", 60_000, child);
  return { url, pid: child.pid, stop: () => stopChild(child) };
}

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

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function treeRss(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  let total = 0;
  for (const p of tree) {
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
  await Promise.all([...children].map((child) => stopChild(child)));
  for (const name of [...databases.keys()]) await dropDatabase(name);
}
