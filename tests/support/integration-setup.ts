import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { closeDb } from "@/lib/db/client";
import { resetConfigForTests } from "@/lib/config/env";

/**
 * Points the app's real configuration at this run's test database before any test touches it, so tests go
 * through getDb() exactly as the server does.
 */
const target = inject("testDatabase");
if (target.kind === "pglite") {
  const copy = path.join(target.base, `worker-${randomBytes(4).toString("hex")}`);
  fs.cpSync(target.template, copy, { recursive: true });
  delete process.env.DATABASE_URL;
  process.env.PARLEY_DATA_DIR = copy;
  afterAll(async () => {
    await closeDb();
    fs.rmSync(copy, { recursive: true, force: true });
  });
} else {
  process.env.DATABASE_URL = target.url;
  process.env.DATABASE_POOL_MAX = "4";
  afterAll(closeDb);
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
