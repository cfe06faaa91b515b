import { randomUUID } from "node:crypto";
import { format } from "node:util";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { errorResponse } from "@/lib/api/http";
import { runAfter } from "@/lib/server/run-after";
import { getDb } from "@/lib/db/client";
import { projects } from "@/lib/db/schema";
import { createTestUser } from "../support/auth";

/**
 * #12: a failing statement must not put its parameters (users' chat text, names, prompts) in the server log.
 * The errors here are real ones from the test database: the driver's own error, wrapped by drizzle, with the
 * secret as a parameter and, for a bad cast, inside PostgreSQL's message too.
 */
async function failingQueries(secret: string): Promise<unknown[]> {
  const db = await getDb();
  const { user } = await createTestUser();
  const failures: unknown[] = [];
  await db.execute(sql`select ${secret}::int`).catch((error: unknown) => failures.push(error));
  await db
    .insert(projects)
    .values({ ownerId: user.id, name: `${secret}\u0000` })
    .catch((error: unknown) => failures.push(error));
  expect(failures).toHaveLength(2);
  return failures;
}

function captureLogs() {
  const lines: string[] = [];
  for (const level of ["error", "warn", "info", "log"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe(`#12 database errors in the log (${inject("testDatabase").kind})`, () => {
  it("#12 a route's unexpected database error logs the statement and SQLSTATE, never the parameters", async () => {
    const secret = `users-chat-text-${randomUUID()}`;
    const [badCast, nul] = await failingQueries(secret);
    const lines = captureLogs();
    for (const error of [badCast, nul]) expect(errorResponse(error).status).toBe(500);
    const log = lines.join("\n");
    expect(log).not.toContain(secret);
    expect(log).toContain("22P02");
    expect(log).toContain("select $1::int");
    expect(log).toMatch(/insert into "parley"\."projects"/);
  });

  it("#12 a failed background task logs the same way", async () => {
    const secret = `summary-text-${randomUUID()}`;
    const [badCast] = await failingQueries(secret);
    const lines = captureLogs();
    const logged = new Promise<void>((resolve) =>
      vi.mocked(console.error).mockImplementation((...args: unknown[]) => void (lines.push(format(...args)), resolve())),
    );
    runAfter(Promise.reject(badCast));
    await logged;
    expect(lines.join("\n")).not.toContain(secret);
    expect(lines.join("\n")).toContain("22P02");
  });
});
