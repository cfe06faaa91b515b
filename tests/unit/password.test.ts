import { timingSafeEqual } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/builtin/password";

// Observes the real constant-time comparison; a test can also dictate its answer to show it is what decides.
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const compare = vi.mocked(timingSafeEqual);
const PASSWORD = "correct horse battery";
let stored: string;

beforeAll(async () => {
  stored = await hashPassword(PASSWORD);
});
// A block body: a function returned from beforeEach would run as a cleanup hook (mockClear returns the mock).
beforeEach(() => {
  compare.mockClear();
});

/** The one comparison verifyPassword made: two buffers of the same length (the derived and the stored key). */
function theComparison() {
  expect(compare).toHaveBeenCalledTimes(1);
  const [actual, expected] = compare.mock.calls[0];
  expect(Buffer.isBuffer(actual) && Buffer.isBuffer(expected)).toBe(true);
  expect((actual as Buffer).length).toBe(64);
  expect((expected as Buffer).length).toBe(64);
  return { actual: actual as Buffer, expected: expected as Buffer };
}

describe("verifyPassword", () => {
  it("compares a right password's key in constant time", async () => {
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    const { actual, expected } = theComparison();
    expect(actual.equals(expected)).toBe(true);
  });

  it("compares a wrong password's key in constant time too", async () => {
    expect(await verifyPassword("not the password", stored)).toBe(false);
    const { actual, expected } = theComparison();
    expect(actual.equals(expected)).toBe(false);
  });

  it("answers what timingSafeEqual answers, not a comparison of its own", async () => {
    compare.mockReturnValueOnce(false);
    expect(await verifyPassword(PASSWORD, stored)).toBe(false);
    compare.mockReturnValueOnce(true);
    expect(await verifyPassword("not the password", stored)).toBe(true);
  });
});

describe("verifyPassword on malformed stored hashes", () => {
  const withField = (index: number, value: string) =>
    stored
      .split("$")
      .map((field, i) => (i === index ? value : field))
      .join("$");

  it("refuses a hash of another scheme even when every other field would match", async () => {
    expect(await verifyPassword(PASSWORD, withField(0, "bcrypt"))).toBe(false);
    expect(compare).not.toHaveBeenCalled();
  });

  it("refuses a row without salt or without key", async () => {
    expect(await verifyPassword(PASSWORD, withField(4, ""))).toBe(false);
    expect(await verifyPassword(PASSWORD, withField(5, ""))).toBe(false);
    expect(compare).not.toHaveBeenCalled();
  });

  it("refuses a stored key of another length instead of throwing", async () => {
    expect(await verifyPassword(PASSWORD, withField(5, stored.split("$")[5]!.slice(0, 20)))).toBe(false);
  });
});
