import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import * as schema from "./schema.ts";
import { findExposedTable } from "./exposure.ts";

/**
 * Opening and migrating a database, for either driver. Kept free of "server-only" and of the config module so
 * scripts (npm run db:migrate) and test set-up can use the same code the app runs.
 */

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseTarget = { kind: "postgres"; url: string; poolMax?: number } | { kind: "pglite"; dataDir: string };

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseTarget["kind"];
  close(): Promise<void>;
}

export class DatabaseStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseStartupError";
  }
}

export const migrationsFolder = path.join(process.cwd(), "drizzle");

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.kind === "postgres" ? openPostgres(target.url, target.poolMax ?? 10) : openPglite(target.dataDir);
}

/**
 * Whether `url` reaches PostgreSQL through a transaction pooler: Supabase's on port 6543, or any other when the
 * URL says `prepare=false` (postgres.js's own spelling, which an explicit option would otherwise override).
 * Such a pooler hands each transaction to whichever server connection is free, so neither prepared statements
 * nor session-level locks survive from one statement to the next.
 */
export function isTransactionPooler(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false; // several hosts (a,b:5432) are not one URL; no pooler of ours is spelled so
  }
  const prepare = parsed.searchParams.get("prepare");
  return parsed.port === "6543" || prepare === "false" || prepare === "disable";
}

async function openPostgres(url: string, poolMax: number): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const where = describeUrl(url);
  const pooled = isTransactionPooler(url);
  const client = postgres(url, {
    max: poolMax,
    connect_timeout: 10,
    idle_timeout: 30,
    prepare: !pooled,
    onnotice: () => {},
  });
  const db = drizzle(client, { schema }) as unknown as Database;
  // Several instances may start at once: an advisory lock on a dedicated connection lets one migrate while
  // the others wait, then find nothing left to do. Not through a transaction pooler: the lock would stay with
  // a pooled server connection after this one closes and hold every later start. There the migrations' one
  // transaction still applies them once (a racing instance fails its start and the next request retries); the
  // README says to migrate over the direct connection before deploying.
  const migrator = postgres(url, { max: 1, connect_timeout: 10, prepare: false, onnotice: () => {} });
  try {
    if (!pooled) await migrator`select pg_advisory_lock(7346519)`;
    await migrate(drizzle(migrator, { schema }), { migrationsFolder });
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseStartupError(`Cannot use the database at ${where}: ${reasonOf(error)}. Check DATABASE_URL.`);
  } finally {
    await migrator.end({ timeout: 1 }).catch(() => {});
  }
  // Only PostgreSQL can be Supabase: PGlite has no anon/authenticated roles to check.
  let exposed: string | null;
  try {
    exposed = await findExposedTable(db);
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseStartupError(`Cannot use the database at ${where}: ${reasonOf(error)}. Check DATABASE_URL.`);
  }
  if (exposed) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseStartupError(exposed);
  }
  return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (error) {
    throw new DatabaseStartupError(
      `The data folder ${dataDir} is not writable (${reasonOf(error)}). Set PARLEY_DATA_DIR to a folder Parley may write, or set DATABASE_URL to use Postgres.`,
    );
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create(path.join(dataDir, "pglite"));
  } catch (error) {
    throw new DatabaseStartupError(
      `Cannot open the embedded database in ${dataDir} (${reasonOf(error)}). Is another Parley process using this folder? Data folders also do not move between PGlite versions.`,
    );
  }
  const db = drizzle(client, { schema }) as unknown as Database;
  try {
    await migrate(drizzle(client, { schema }), { migrationsFolder });
  } catch (error) {
    await client.close().catch(() => {});
    throw new DatabaseStartupError(`Migrating the embedded database in ${dataDir} failed: ${reasonOf(error)}`);
  }
  return { db, kind: "pglite", close: () => client.close() };
}

/** `select 1` with a deadline, for /health. */
export async function pingDatabase(db: Database, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true as const), deadline]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "the configured address";
  }
}

function reasonOf(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; cause?: unknown };
    const cause = e.cause && typeof e.cause === "object" ? (e.cause as { message?: unknown }).message : undefined;
    const message = typeof cause === "string" ? cause : typeof e.message === "string" ? e.message : "";
    const code = typeof e.code === "string" ? e.code : "";
    return [code, message.split("\n")[0]].filter(Boolean).join(" ").slice(0, 300) || "unknown error";
  }
  return String(error);
}
