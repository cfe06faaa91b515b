/**
 * The one way tests and the benchmark start the production build (`next start`, after `next build`) as a real
 * process: the resilience suite (app-server.ts), the Playwright server (tests/e2e/server.mjs) and the bench
 * (bench/lib/harness.mjs); or, with `standaloneServer`, the standalone server the Docker image runs. Each caller
 * adds only what is its own: databases, stand-ins, variables.
 * Node built-ins only and erasable TypeScript, so plain `node` (type stripping) loads it as well as vitest does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { waitFor } from "./wait.ts";

export const root = path.resolve(import.meta.dirname, "..", "..");

export interface NextServerOptions {
  port: number;
  /** Server variables, applied over the parent's environment and the defaults (production, no telemetry, APP_URL). */
  env?: Record<string, string>;
  /** Everything the server prints is also appended here (emptied first; others may append too). */
  logFile?: string;
  /** Sees each chunk the server prints, as it arrives. */
  onOutput?: (chunk: Buffer, stream: "stdout" | "stderr") => void;
  readyTimeoutMs?: number;
  /**
   * Runs this `server.js` of `output: "standalone"` (as `node server.js`, the Docker image's CMD; it listens on
   * PORT and HOSTNAME) instead of `next start`. The folder must be laid out as the image is: see docker-files.ts.
   */
  standaloneServer?: string;
}

export interface NextServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; any process it started goes with it. */
  stop(graceMs?: number): Promise<void>;
}

/** A process and all its descendants (Linux /proc; just the process elsewhere), parents first. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [pid];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

function kill(pids: number[], signal: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Starts `next start` on 127.0.0.1:`port` and resolves once /health answers 200. Node runs Next's CLI script
 * directly (no npx, no shell in between), so `process` is the server itself: Next 16 serves from the process it
 * was started as, renamed `next-server`. A wrapper process in between would be the one a harness stops, leaving
 * the real server on its port; the stop and the exit guard still take the whole tree, in case Next forks.
 */
export async function startNextServer(options: NextServerOptions): Promise<NextServer> {
  const { port } = options;
  const url = `http://127.0.0.1:${port}`;
  let log: fs.WriteStream | undefined;
  if (options.logFile) {
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    fs.writeFileSync(options.logFile, "");
    log = fs.createWriteStream(options.logFile, { flags: "a" });
  }
  let output = "";

  const what = options.standaloneServer ? "the standalone server" : "next start";
  const child = spawn(
    process.execPath,
    options.standaloneServer
      ? [options.standaloneServer]
      : [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: options.standaloneServer ? path.dirname(options.standaloneServer) : root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        APP_URL: url,
        ...options.env,
        // What `-p` and `-H` are to `next start`; the caller's PORT or HOSTNAME would not be where we wait.
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
      },
    },
  );
  const capture = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    output += chunk.toString("utf8");
    log?.write(chunk);
    options.onOutput?.(chunk, stream);
  };
  child.stdout?.on("data", capture("stdout"));
  child.stderr?.on("data", capture("stderr"));
  const tree = () => (child.pid === undefined ? [] : processTree(child.pid));
  // Never outlive the process that started it (a timed-out or interrupted run).
  const orphanGuard = () => kill(tree(), "SIGKILL");
  process.once("exit", orphanGuard);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      process.removeListener("exit", orphanGuard);
      log?.end();
      resolve({ code, signal });
    }),
  );
  let gone = false;
  void exited.then(() => (gone = true));

  const server: NextServer = {
    url,
    port,
    process: child,
    output: () => output,
    exited,
    async stop(graceMs = 20_000) {
      if (gone) return;
      // Taken before the signal: once the server exits, what it started is re-parented and no longer its tree.
      const started = tree().slice(1);
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      kill(started, "SIGKILL");
    },
  };

  try {
    await waitFor(
      async () => {
        if (gone) throw new Error(`${what} on port ${port} exited before it was ready`);
        const status = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) }).then(
          (r) => r.status,
          () => 0,
        );
        return status === 200 ? true : undefined;
      },
      options.readyTimeoutMs ?? 90_000,
      `${what} on port ${port} to answer /health`,
    );
  } catch (error) {
    await server.stop(2_000);
    throw new Error(`${(error as Error).message}; it printed:\n${output.slice(-3000)}`);
  }
  return server;
}
