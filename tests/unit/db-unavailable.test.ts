import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { withDatabaseRetry } from "@/lib/db/retry";

const coded = (code: string, cause?: unknown) => Object.assign(new Error(code), { code, cause });

describe("isDatabaseUnavailable", () => {
  it("recognizes a lost or refused connection, a server shutting down, also wrapped (drizzle) or aggregated", () => {
    expect(isDatabaseUnavailable(coded("CONNECTION_CLOSED"))).toBe(true);
    expect(isDatabaseUnavailable(coded("57P01"))).toBe(true); // admin_shutdown
    expect(isDatabaseUnavailable(coded("08006"))).toBe(true); // connection_failure
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: coded("ECONNREFUSED") }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new AggregateError([coded("ECONNREFUSED")]), {}))).toBe(true);
  });

  it("leaves real query errors alone", () => {
    expect(isDatabaseUnavailable(coded("23505"))).toBe(false); // unique_violation
    expect(isDatabaseUnavailable(coded("42P01"))).toBe(false); // undefined_table
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable("CONNECTION_CLOSED")).toBe(false);
  });
});

// The pauses are the code's own: a fake clock runs them at once, and shows exactly when each attempt came.
describe("withDatabaseRetry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** Runs withDatabaseRetry on the fake clock; `attempts` are the times (ms since the start) `task` ran at. */
  async function retried<T>(task: (attempt: number) => Promise<T>, forMs?: number) {
    const start = Date.now();
    const attempts: number[] = [];
    const outcome = withDatabaseRetry(() => task(attempts.push(Date.now() - start)), forMs).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.runAllTimersAsync();
    return { ...(await outcome), attempts };
  }

  it("repeats while the database is unreachable, with growing pauses, then returns; says so once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const result = await retried(async (attempt) => {
      if (attempt < 4) throw coded("CONNECTION_CLOSED");
      return "stored";
    });
    expect(result).toEqual({ value: "stored", attempts: [0, 250, 750, 1750] });
    expect(warn.mock.calls).toEqual([["[parley] the database is unreachable: retrying a write for up to 20s"]]);
  });

  it("throws other errors at once, and gives up when the next pause would pass its limit", async () => {
    expect(await retried(() => Promise.reject(coded("23505")))).toEqual({
      error: expect.objectContaining({ code: "23505" }),
      attempts: [0],
    });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await retried(() => Promise.reject(coded("ECONNREFUSED")), 1_000)).toEqual({
      error: expect.objectContaining({ code: "ECONNREFUSED" }),
      attempts: [0, 250, 750],
    });
  });
});
