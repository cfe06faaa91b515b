/**
 * PostgreSQL for tests that run the app as real processes: a throwaway database on the shared server
 * (TEST_DATABASE_URL's, else the local one), or a private throwaway cluster that a test may stop and start
 * without disturbing anyone else. Both are removed at the end, also when the test fails.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

export type Sql = ReturnType<typeof postgres>;

export interface ThrowawayDatabase {
  url: string;
  /** A client for counting rows directly (not through the app). */
  sql: Sql;
  drop(): Promise<void>;
}

const sharedServerUrl = () => process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates `name` anew on the server (`serverUrl` names any database of it). */
export async function createThrowawayDatabase(name: string, serverUrl = sharedServerUrl()): Promise<ThrowawayDatabase> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = withDatabase(serverUrl, name);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 2 }).catch(() => {});
      const again = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${name}" with (force)`).finally(() => again.end({ timeout: 2 }));
    },
  };
}

export interface PrivateCluster {
  /** A URL of this cluster's `postgres` database (pass it to createThrowawayDatabase as the server). */
  url: string;
  /** Async, so servers in this process (the OpenRouter stand-in) keep answering meanwhile. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): void;
}

function binDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // pg_config may be missing while the server binaries are installed
  }
  const versions = fs.existsSync("/usr/lib/postgresql")
    ? fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))
    : [];
  candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl")));
  if (!found) {
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl) were not found via `pg_config --bindir` or /usr/lib/postgresql/*/bin: install the postgresql package to run the database restart test",
    );
  }
  return found;
}

/**
 * initdb + pg_ctl on a temporary folder, listening on 127.0.0.1:`port` with trust auth. PostgreSQL refuses to
 * run as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startPrivateCluster(port: number): Promise<PrivateCluster> {
  const bin = binDir();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "parley-pg-"));
  const data = path.join(root, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", root]);
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
  const runSync = (tool: string, args: string[]) => {
    const result = spawnSync(...command(tool, args), { encoding: "utf8" });
    if (result.status !== 0)
      throw new Error(`${tool} ${args.join(" ")} failed: ${result.stderr || result.stdout || result.error?.message}`);
  };
  const ctl = (...args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile(...command("pg_ctl", ["-D", data, "-w", "-t", "60", ...args]), (error, stdout, stderr) =>
        error ? reject(new Error(`pg_ctl ${args[0]} failed: ${stderr || stdout || error.message}`)) : resolve(),
      ),
    );
  let running = false;
  const destroy = () => {
    if (running) {
      spawnSync(...command("pg_ctl", ["-D", data, "-w", "stop", "-m", "immediate"]));
      running = false;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  // Also on a crash or an interrupted run: never leave a stray postgres behind.
  process.once("exit", destroy);

  runSync("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  const start = async () => {
    running = true; // before it is up: a start that half-worked must still be stopped by destroy()
    await ctl("start", "-l", path.join(root, "server.log"), "-o", `-p ${port} -k ${root} -c listen_addresses=127.0.0.1`);
  };
  try {
    await start();
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    async stop() {
      await ctl("stop", "-m", "fast");
      running = false;
    },
    destroy() {
      process.removeListener("exit", destroy);
      destroy();
    },
  };
}
