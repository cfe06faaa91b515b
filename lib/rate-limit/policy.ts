import "server-only";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { getConfig } from "@/lib/config/env";
import { ApiError } from "@/lib/api/errors";
import { createLimiterStore, type LimiterStore, type LimitSpec } from "./store";

/**
 * The named limits, one function per use. Counters live in the store (memory, or Redis with REDIS_URL: see
 * store.ts). A refused call throws ApiError 429 `rate_limited:<surface>` with Retry-After in
 * seconds, before the caller has changed anything.
 */
const FAILED_LOGINS_PER_EMAIL = { name: "login-email", points: 5, duration: 15 * 60 };
const FAILED_LOGINS_PER_IP = { name: "login-ip", points: 30, duration: 15 * 60 };
const SIGNUPS_PER_IP = { name: "signup-ip", points: 20, duration: 60 * 60 };
const RESET_REQUESTS_PER_EMAIL = { name: "reset-email", points: 5, duration: 60 * 60 };
/** A fixed one-minute window: a burst of quick follow-ups is fine, a script hammering the model is not. */
const messagesPerUser = (perMinute: number): LimitSpec => ({ name: "chat-user", points: perMinute, duration: 60 });
/** An import can write 100,000 messages in one request (past the message limit): a few an hour is plenty. */
const importsPerUser = (perHour: number): LimitSpec => ({ name: "import-user", points: perHour, duration: 60 * 60 });

/** One password check that has taken its place in the budgets; a wrong password leaves it spent. */
export interface LoginAttempt {
  /** The password was right: the email's failures are forgiven, the address gets this attempt back. */
  succeeded(): Promise<void>;
  /** No verdict on the password (the check itself failed): both budgets get this attempt back. */
  abandoned(): Promise<void>;
}

export interface RateLimits {
  readonly store: LimiterStore;
  /**
   * Before checking a password: takes one attempt from this email's budget and, when the address is known, from
   * the address's; refused when either is spent. Taken before the check, not counted after it, so that concurrent
   * guesses cannot all pass a check made before any of them was counted. `ip` is undefined when the client's
   * address is not known (see client-ip.ts): only the email's limit applies.
   */
  beginLogin(email: string, ip: string | undefined): Promise<LoginAttempt>;
  /** Without a known address there is nothing to count sign-ups against. */
  consumeSignup(ip: string | undefined): Promise<void>;
  consumePasswordResetRequest(email: string): Promise<void>;
  /** Every send or regenerate: each one calls the model. */
  consumeChatMessage(userId: string): Promise<void>;
  /** Every import, before its body is read (reading and checking a large file is most of the cost of a bad one). */
  consumeImport(userId: string): Promise<void>;
}

/**
 * A limiter says no by rejecting with a RateLimiterRes (not an Error). Recognised by its shape: the store is shared
 * per process, so the limiter may come from another bundle's copy of rate-limiter-flexible, whose class is not ours.
 */
function refusedFor(error: unknown): number | undefined {
  if (error instanceof Error || typeof error !== "object" || error === null) return undefined;
  const { msBeforeNext } = error as { msBeforeNext?: unknown };
  return typeof msBeforeNext === "number" ? msBeforeNext : undefined;
}

const retryAfter = (msBeforeNext: number) => ({ "Retry-After": String(Math.max(1, Math.ceil(msBeforeNext / 1000))) });

const refusals = {
  import: (ms: number) =>
    new ApiError(
      "rate_limited",
      "import",
      `Too many imports in the last hour; try again in ${Math.ceil(ms / 60_000)} minute${Math.ceil(ms / 60_000) === 1 ? "" : "s"}.`,
      { headers: retryAfter(ms) },
    ),
  auth: (ms: number) =>
    new ApiError("rate_limited", "auth", "Too many attempts. Please wait and try again.", { headers: retryAfter(ms) }),
  chat: (ms: number) => {
    const seconds = Number(retryAfter(ms)["Retry-After"]);
    return new ApiError(
      "rate_limited",
      "chat",
      `You are sending messages faster than this server allows. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`,
      {
        headers: retryAfter(ms),
      },
    );
  },
};

/** Builds the limits on a store; the app uses one store per process (see getRateLimits), tests build several. */
export function createRateLimits(
  store: LimiterStore,
  options: { messagesPerMinute: number; importsPerHour?: number },
): RateLimits {
  const loginEmail = store.limiter(FAILED_LOGINS_PER_EMAIL);
  const loginIp = store.limiter(FAILED_LOGINS_PER_IP);
  const signupIp = store.limiter(SIGNUPS_PER_IP);
  const resetEmail = store.limiter(RESET_REQUESTS_PER_EMAIL);
  const chatUser = store.limiter(messagesPerUser(options.messagesPerMinute));
  const importUser = store.limiter(importsPerUser(options.importsPerHour ?? 20));

  async function consume(limiter: RateLimiterAbstract, key: string, refuse: (ms: number) => ApiError): Promise<void> {
    await store.ready();
    try {
      await limiter.consume(key);
    } catch (error) {
      const msBeforeNext = refusedFor(error);
      if (msBeforeNext === undefined) throw error;
      throw refuse(msBeforeNext);
    }
  }

  return {
    store,
    async beginLogin(email, ip) {
      await consume(loginEmail, email, refusals.auth);
      if (ip) {
        try {
          await consume(loginIp, ip, refusals.auth);
        } catch (error) {
          await loginEmail.reward(email);
          throw error;
        }
      }
      const refundAddress = () => (ip ? loginIp.reward(ip) : undefined);
      return {
        succeeded: async () => {
          await Promise.all([loginEmail.delete(email), refundAddress()]);
        },
        abandoned: async () => {
          await Promise.all([loginEmail.reward(email), refundAddress()]);
        },
      };
    },
    consumeSignup: async (ip) => {
      if (ip) await consume(signupIp, ip, refusals.auth);
    },
    consumePasswordResetRequest: (email) => consume(resetEmail, email, refusals.auth),
    consumeChatMessage: (userId) => consume(chatUser, userId, refusals.chat),
    consumeImport: (userId) => consume(importUser, userId, refusals.import),
  };
}

// One store per process, on globalThis: Next bundles route handlers and server actions separately, each with its
// own copy of this module, and a store per copy would give the REST API and the pages a budget each (every auth
// limit doubled). Only the store is shared: the limits around it throw this copy's ApiError, which its callers
// recognise.
const holder = globalThis as typeof globalThis & { __parleyRateLimitStore?: LimiterStore };
let current: RateLimits | undefined;

/** This process's limits, on the store the configuration names. */
export function getRateLimits(): RateLimits {
  const config = getConfig();
  const store = (holder.__parleyRateLimitStore ??= createLimiterStore({
    redisUrl: config.redisUrl,
    prefix: config.rateLimit.prefix,
  }));
  if (current?.store !== store)
    current = createRateLimits(store, {
      messagesPerMinute: config.rateLimit.messagesPerMinute,
      importsPerHour: config.rateLimit.importsPerHour,
    });
  return current;
}

export const beginLogin = (email: string, ip: string | undefined) => getRateLimits().beginLogin(email, ip);
export const consumeSignup = (ip: string | undefined) => getRateLimits().consumeSignup(ip);
export const consumePasswordResetRequest = (email: string) => getRateLimits().consumePasswordResetRequest(email);
export const consumeChatMessage = (userId: string) => getRateLimits().consumeChatMessage(userId);
export const consumeImport = (userId: string) => getRateLimits().consumeImport(userId);

/** Tests start each case with fresh counters (and pick up a changed configuration). */
export function resetRateLimitsForTests(): void {
  void holder.__parleyRateLimitStore?.close();
  holder.__parleyRateLimitStore = undefined;
  current = undefined;
}
