import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { POST as resetPassword } from "@/app/api/v1/auth/reset-password/route";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { resetConfigForTests } from "@/lib/config/env";
import { drainWork } from "@/lib/server/shutdown";
import { postJson, signUpForTest } from "../support/auth-contract";
import { startSmtpStandin, type SmtpStandin } from "../support/smtp-standin";

/**
 * #12: the reset-password answer must not reveal whether an email has an account when SMTP is configured —
 * neither by its status (a failing mail server) nor by waiting for the mail (a slow one).
 */
let smtp: SmtpStandin | undefined;
let errors: string[] = [];

beforeEach(() => {
  resetRateLimitsForTests();
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(" ")));
});

afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  await drainWork(10_000);
  delete process.env.SMTP_URL;
  resetConfigForTests();
  vi.restoreAllMocks();
});

async function useSmtp(mode: "refuse" | "hang"): Promise<SmtpStandin> {
  smtp = await startSmtpStandin(mode);
  process.env.SMTP_URL = smtp.url;
  resetConfigForTests();
  return smtp;
}

const requestReset = async (email: string) => {
  const response = await postJson(resetPassword, "/api/v1/auth/reset-password", { email });
  return { status: response.status, body: await response.json() };
};

const ANSWER = { status: 200, body: { message: "If an account exists for this email, a reset link has been sent" } };

describe("#12 reset-password with SMTP configured", () => {
  it("#12 a failing mail server: an existing and an unknown email get the same answer, and the failure is only logged", async () => {
    const { email } = await signUpForTest();
    const server = await useSmtp("refuse");
    expect(await requestReset(email)).toEqual(ANSWER);
    expect(await requestReset(`nobody-${randomUUID()}@example.test`)).toEqual(ANSWER);
    expect(await drainWork(10_000)).toBe(true);
    // Only the existing account's mail was attempted, and its failure went to the log.
    expect(server.connections).toBe(1);
    expect(errors.some((line) => line.includes("password reset email"))).toBe(true);
  });

  it("#12 a mail server that hangs: the answer does not wait for it", async () => {
    const { email } = await signUpForTest();
    const server = await useSmtp("hang");
    // The server holds every connection until release(): these answers arrive with the gate still closed.
    expect(await requestReset(email)).toEqual(ANSWER);
    expect(await requestReset(`nobody-${randomUUID()}@example.test`)).toEqual(ANSWER);
    await server.firstConnection;
    expect(server.connections).toBe(1);
    server.release();
    expect(await drainWork(10_000)).toBe(true);
    expect(errors.some((line) => line.includes("password reset email"))).toBe(true);
  });
});
