import "server-only";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { ApiError } from "./errors";

/**
 * Throttles for the auth endpoints, one function per limit. In memory: per process, which is what a single
 * self-hosted instance needs (several instances each apply the limit, which still bounds guessing).
 */
const FAILED_LOGINS_PER_EMAIL = { points: 5, duration: 15 * 60 };
const FAILED_LOGINS_PER_IP = { points: 30, duration: 15 * 60 };
const SIGNUPS_PER_IP = { points: 20, duration: 60 * 60 };
const RESET_REQUESTS_PER_EMAIL = { points: 5, duration: 60 * 60 };

let limiters: { loginEmail: RateLimiterAbstract; loginIp: RateLimiterAbstract; signupIp: RateLimiterAbstract; resetEmail: RateLimiterAbstract } | undefined;

function getLimiters() {
  limiters ??= {
    loginEmail: new RateLimiterMemory({ keyPrefix: "login-email", ...FAILED_LOGINS_PER_EMAIL }),
    loginIp: new RateLimiterMemory({ keyPrefix: "login-ip", ...FAILED_LOGINS_PER_IP }),
    signupIp: new RateLimiterMemory({ keyPrefix: "signup-ip", ...SIGNUPS_PER_IP }),
    resetEmail: new RateLimiterMemory({ keyPrefix: "reset-email", ...RESET_REQUESTS_PER_EMAIL }),
  };
  return limiters;
}

const rateLimited = (msBeforeNext: number) =>
  new ApiError("rate_limited", "auth", "Too many attempts. Please wait and try again.", { headers: { "Retry-After": String(Math.max(1, Math.ceil(msBeforeNext / 1000))) } });

async function assertNotExhausted(limiter: RateLimiterAbstract, key: string, points: number): Promise<void> {
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= points) throw rateLimited(state.msBeforeNext);
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext);
    throw error;
  }
}

/** Before checking a password: refuses when this email or this address has failed too often lately. */
export async function assertLoginAllowed(email: string, ip: string): Promise<void> {
  const { loginEmail, loginIp } = getLimiters();
  await assertNotExhausted(loginEmail, email, FAILED_LOGINS_PER_EMAIL.points);
  await assertNotExhausted(loginIp, ip, FAILED_LOGINS_PER_IP.points);
}

/** After a wrong password: counts it against the email and the address. */
export async function recordFailedLogin(email: string, ip: string): Promise<void> {
  const { loginEmail, loginIp } = getLimiters();
  await Promise.all([loginEmail.penalty(email), loginIp.penalty(ip)]);
}

/** After a successful login the email's failures are forgiven (the address's are not). */
export async function rewardLogin(email: string): Promise<void> {
  await getLimiters().loginEmail.delete(email);
}

export async function consumeSignup(ip: string): Promise<void> {
  await consume(getLimiters().signupIp, ip);
}

export async function consumePasswordResetRequest(email: string): Promise<void> {
  await consume(getLimiters().resetEmail, email);
}

/** Tests start each case with fresh counters. */
export function resetRateLimitsForTests(): void {
  limiters = undefined;
}
