import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { closeDb } from "@/lib/db/client";
import { closeLiveChannel } from "@/lib/chat/live/channel";
import { drainWork } from "@/lib/server/shutdown";
import { resetConfigForTests } from "@/lib/config/env";

/**
 * Points the app's real configuration at this file's own test database before any test touches it, so tests go
 * through getDb() exactly as the server does. Each file gets its own copy of the migrated database, on PGlite
 * (a copied folder) and on PostgreSQL (CREATE DATABASE … TEMPLATE, a file copy on the server): files run in
 * parallel, and state that is global to a database (an admin's run-time settings, the first-admin marker) must
 * not leak from one file's tests into another's.
 */
const target = inject("testDatabase");
/**
 * Before a file's database goes: the background work its tests started (titles, summaries, a reply's end) finishes,
 * as a server's shutdown waits for it, and the live channel closes. Work still running would open a new pool into a
 * database being dropped, and its connection, cut during its setup, fails outside any test.
 */
const settle = async () => {
  await drainWork(10_000);
  await closeLiveChannel();
};
if (target.kind === "pglite") {
  const copy = path.join(target.base, `worker-${randomBytes(4).toString("hex")}`);
  fs.cpSync(target.template, copy, { recursive: true });
  delete process.env.DATABASE_URL;
  process.env.PARLEY_DATA_DIR = copy;
  afterAll(async () => {
    await settle();
    await closeDb();
    fs.rmSync(copy, { recursive: true, force: true });
  });
} else {
  const name = `${target.name}_${randomBytes(4).toString("hex")}`;
  const onServer = async (statement: string) => {
    const admin = postgres(target.adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(statement);
    } finally {
      await admin.end();
    }
  };
  // Nothing connects to the template itself (the run's database): a copy needs it idle.
  await onServer(`create database ${name} template ${target.name}`);
  const url = new URL(target.url);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.DATABASE_POOL_MAX = "4";
  afterAll(async () => {
    await settle();
    await closeDb();
    await onServer(`drop database if exists ${name} with (force)`);
  });
}
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
// Counters in this process's memory, fresh per file: the Redis store is tested on purpose (TEST_REDIS_URL) in
// rate-limits-redis.test.ts, never picked up by accident from a developer's REDIS_URL.
delete process.env.REDIS_URL;
// Chat suites send far more than a person would in a minute; rate-limits.test.ts sets its own small budget.
process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = "100000";
// Import suites import hundreds of files; transfer.test.ts sets a small budget to test the limit itself.
process.env.RATE_LIMIT_IMPORTS_PER_HOUR = "100000";
resetConfigForTests();

export const testDriver = target.kind;
