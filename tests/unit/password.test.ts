import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/builtin/password";

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

describe("the cost stored with a hash", () => {
  it("is written into the hash: scrypt, N 16384, r 8, p 1", () => {
    expect(stored.split("$").slice(0, 4)).toEqual(["scrypt", "16384", "8", "1"]);
  });

  it("is what a hash is verified with, so a raised (or older) cost keeps working", async () => {
    const salt = randomBytes(16);
    // Made outside Parley's code, with a cost other than today's: what a hash from before a change looks like.
    const key = scryptSync(PASSWORD.normalize("NFKC"), salt, 64, { N: 1024, r: 4, p: 2 });
    const older = ["scrypt", 1024, 4, 2, salt.toString("base64url"), key.toString("base64url")].join("$");
    expect(await verifyPassword(PASSWORD, older)).toBe(true);
    expect(await verifyPassword("not the password", older)).toBe(false);
  });
});

describe("burnPasswordCheck", () => {
  it("spends a real comparison, as a wrong password for a known email does", async () => {
    await burnPasswordCheck(PASSWORD);
    theComparison();
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
