/**
 * Starts the production build (`next start`) as a real process, for tests that need real HTTP, real signals
 * and several instances. Needs `next build` first (tests/resilience/global-setup.ts sees to it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface AppServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** One secret per test run, shared by every instance started by it (they must accept each other's tokens). */
const AUTH_SECRET = randomBytes(32).toString("base64url");

export interface AppServerOptions {
  port: number;
  databaseUrl: string;
  openrouterBaseUrl?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const { port } = options;
  const url = `http://127.0.0.1:${port}`;
  const tmp = path.join(process.cwd(), ".test-tmp");
  fs.mkdirSync(tmp, { recursive: true });
  const log = fs.createWriteStream(path.join(tmp, `app-${port}.log`), { flags: "w" });
  let output = "";

  const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      APP_URL: url,
      DATABASE_URL: options.databaseUrl,
      // Unused with DATABASE_URL and AUTH_SECRET set, but kept private to this server all the same.
      PARLEY_DATA_DIR: path.join(tmp, `app-${port}-data`),
      AUTH_SECRET,
      OPENROUTER_API_KEY: options.openrouterBaseUrl ? "sk-or-resilience" : "",
      OPENROUTER_BASE_URL: options.openrouterBaseUrl ?? "",
      REDIS_URL: "",
      // Tests reach the server as many clients at once, each with its own address (rest-client.ts sends one, as a
      // reverse proxy would): per-address limits then apply per client, not to the whole test run.
      TRUST_PROXY: "true",
      ...options.env,
    },
  });
  const capture = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    log.write(chunk);
  };
  child.stdout?.on("data", capture);
  child.stderr?.on("data", capture);
  // Never outlive the test process (a timed-out or interrupted run).
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      process.removeListener("exit", orphanGuard);
      log.end();
      resolve({ code, signal });
    }),
  );

  const server: AppServer = {
    url,
    port,
    process: child,
    output: () => output,
    exited,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`next start on port ${port} exited before it was ready:\n${output.slice(-3000)}`);
    const status = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return server;
    if (Date.now() > deadline) {
      await server.stop(2_000);
      throw new Error(`next start on port ${port} was not healthy within the limit:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
