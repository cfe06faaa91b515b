import { describe, expect, it } from "vitest";
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

describe("withDatabaseRetry", () => {
  it("repeats while the database is unreachable, then returns", async () => {
    let calls = 0;
    const result = await withDatabaseRetry(async () => {
      if (++calls < 3) throw coded("CONNECTION_CLOSED");
      return "stored";
    });
    expect({ result, calls }).toEqual({ result: "stored", calls: 3 });
  });

  it("throws other errors at once, and gives up after its limit", async () => {
    let calls = 0;
    await expect(withDatabaseRetry(async () => (++calls, Promise.reject(coded("23505"))))).rejects.toMatchObject({ code: "23505" });
    expect(calls).toBe(1);
    await expect(withDatabaseRetry(() => Promise.reject(coded("ECONNREFUSED")), 300)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
