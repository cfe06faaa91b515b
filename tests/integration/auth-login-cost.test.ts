import { randomUUID, scrypt } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { postJson, signUpForTest } from "../support/auth-contract";

// Counts the real scrypt derivations (each one is the expensive part of a login) without changing them.
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, scrypt: vi.fn(real.scrypt) };
});

const derivations = vi.mocked(scrypt);

/** The scrypt calls (key length and cost options) one failed login makes; it must answer 401. */
async function derivationsOfFailedLogin(email: string, password: string) {
  derivations.mockClear();
  const response = await postJson(login, "/api/v1/auth/login", { email, password });
  expect(response.status).toBe(401);
  return derivations.mock.calls.map(([, , keyLength, options]) => ({ keyLength, options }));
}

beforeEach(() => resetRateLimitsForTests());

describe("login cost", () => {
  it("an unknown email costs the same scrypt work as a wrong password, so timing does not tell accounts apart", async () => {
    const { email } = await signUpForTest();
    const unknownEmail = () => `nobody-${randomUUID()}@example.test`;
    // The process's first unknown email also creates the throwaway hash it compares against (one more, once).
    await derivationsOfFailedLogin(unknownEmail(), "some password 1");

    const wrongPassword = await derivationsOfFailedLogin(email, "not the password");
    const unknown = await derivationsOfFailedLogin(unknownEmail(), "not the password");
    expect(wrongPassword).toHaveLength(1);
    expect(unknown).toEqual(wrongPassword);
    expect(unknown[0].options).toMatchObject({ N: 16384, r: 8, p: 1 });
  });
});
