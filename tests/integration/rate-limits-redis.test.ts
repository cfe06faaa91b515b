import { afterAll, afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import { Redis } from "ioredis";
import { ApiError } from "@/lib/api/errors";
import { createRateLimits, getRateLimits, resetRateLimitsForTests, type RateLimits } from "@/lib/rate-limit/policy";
import { createLimiterStore, type LimiterStore } from "@/lib/rate-limit/store";
import { resetConfigForTests } from "@/lib/config/env";
import { loginBurst } from "@/tests/support/login-burst";

/**
 * Shared limits across instances: each "instance" is a limiter set built by the real factory with its own Redis
 * connection, as two server processes would have. Each test uses a fresh key prefix, so parallel runs (and the
 * two database projects running this file at once) never share counters.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const MESSAGES_PER_MINUTE = 4;

const stores: LimiterStore[] = [];
function instance(prefix: string, options: { url?: string; warn?: (message: string) => void } = {}): RateLimits {
  const store = createLimiterStore({ redisUrl: options.url ?? redisUrl, prefix, warn: options.warn });
  stores.push(store);
  return createRateLimits(store, { messagesPerMinute: MESSAGES_PER_MINUTE });
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** Resolves to the refusal (ApiError) or undefined when the call was allowed. */
async function outcome(call: Promise<unknown>): Promise<ApiError | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

const newPrefix = () => `parley-test-${randomUUID()}`;

/** A separate Node process that builds the app's limits from its environment (tests/support/rate-limit-instance.ts). */
function startInstance(env: Record<string, string>, key: string, count: number) {
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(
    process.execPath,
    [
      "--experimental-strip-types",
      "--conditions=react-server",
      "--import",
      "./tests/support/ts-loader.mjs",
      "tests/support/rate-limit-instance.ts",
      key,
      String(count),
    ],
    { cwd: root, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = once(child, "exit") as Promise<[number | null]>;
  return {
    ready: async () => {
      while (!stdout.includes("ready\n")) {
        if (child.exitCode !== null) throw new Error(`instance exited early: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    go: () => child.stdin.write("go\n"),
    result: async () => {
      const [code] = await exited;
      if (code !== 0) throw new Error(`instance failed (${code}): ${stderr}`);
      return JSON.parse(stdout.split("\n").filter(Boolean).at(-1) ?? "") as { pid: number; store: string; outcomes: string[] };
    },
  };
}

describe.skipIf(!redisUrl)(
  redisUrl
    ? "rate limits on Redis (TEST_REDIS_URL)"
    : "rate limits on Redis — SKIPPED: TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379)",
  () => {
    const admin = redisUrl ? new Redis(redisUrl) : undefined;
    afterAll(async () => {
      await admin?.quit();
    });

    it("two server processes sending at the same moment share one budget: exactly the limit is allowed in total", async () => {
      const env = {
        REDIS_URL: redisUrl ?? "",
        RATE_LIMIT_PREFIX: newPrefix(),
        RATE_LIMIT_MESSAGES_PER_MINUTE: String(MESSAGES_PER_MINUTE),
      };
      const user = randomUUID();
      // Each process alone would allow all of its attempts.
      const instances = [startInstance(env, user, MESSAGES_PER_MINUTE), startInstance(env, user, MESSAGES_PER_MINUTE)];
      await Promise.all(instances.map((i) => i.ready()));
      for (const i of instances) i.go();
      const results = await Promise.all(instances.map((i) => i.result()));
      expect(results.map((r) => r.store)).toEqual(["redis", "redis"]);
      expect(results[0].pid).not.toBe(results[1].pid);
      const all = results.flatMap((r) => r.outcomes);
      expect(all.filter((o) => o === "allowed")).toHaveLength(MESSAGES_PER_MINUTE);
      const refused = all.filter((o) => o !== "allowed");
      expect(refused).toHaveLength(MESSAGES_PER_MINUTE);
      for (const o of refused) expect(Number(o.split(":")[1])).toBeGreaterThan(0);
    });

    it("two instances in one process share one message budget per user", async () => {
      const prefix = newPrefix();
      const a = instance(prefix);
      const b = instance(prefix);
      expect([a.store.kind, b.store.kind]).toEqual(["redis", "redis"]);
      const user = randomUUID();
      // Alternating instances: each alone would allow 4, together they allow 4.
      for (let i = 0; i < MESSAGES_PER_MINUTE; i++)
        expect(await outcome((i % 2 ? a : b).consumeChatMessage(user))).toBeUndefined();
      for (const limits of [a, b]) {
        const refused = await outcome(limits.consumeChatMessage(user));
        expect(refused?.status).toBe(429);
        expect(refused?.code).toBe("rate_limited:chat");
        const retryAfter = Number(refused?.headers?.["Retry-After"]);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
      // Another user has a budget of their own.
      expect(await outcome(b.consumeChatMessage(randomUUID()))).toBeUndefined();
      // The counter really is in Redis, under the prefix.
      expect(await admin?.get(`${prefix}:chat-user:${user}`)).toBe(String(MESSAGES_PER_MINUTE + 2));
    });

    it("login attempts taken on one instance lock the email on the other; signups per address are shared", async () => {
      const prefix = newPrefix();
      const a = instance(prefix);
      const b = instance(prefix);
      const email = `${randomUUID()}@example.test`;
      // Four wrong passwords (each attempt stays spent), alternating instances, then a fifth attempt still being checked.
      for (let i = 0; i < 4; i++) expect(await outcome((i % 2 ? a : b).beginLogin(email, "ip-1"))).toBeUndefined();
      const right = await a.beginLogin(email, "ip-1");
      const refused = await outcome(b.beginLogin(email, "ip-2"));
      expect(refused?.code).toBe("rate_limited:auth");
      expect(Number(refused?.headers?.["Retry-After"])).toBeGreaterThan(0);
      // That fifth one was the right password: instance A forgives the email everywhere.
      await right.succeeded();
      for (let i = 0; i < 5; i++) expect(await outcome(b.beginLogin(email, "ip-2"))).toBeUndefined();
      expect((await outcome(a.beginLogin(email, "ip-2")))?.status).toBe(429);

      for (let i = 0; i < 20; i++) expect(await outcome((i % 2 ? a : b).consumeSignup("ip-3"))).toBeUndefined();
      expect((await outcome(a.consumeSignup("ip-3")))?.status).toBe(429);
      expect((await outcome(b.consumeSignup("ip-3")))?.status).toBe(429);
    });

    it("a different prefix is a different budget (deployments or test runs sharing one Redis)", async () => {
      const user = randomUUID();
      const a = instance(newPrefix());
      const b = instance(newPrefix());
      for (let i = 0; i < MESSAGES_PER_MINUTE; i++) await a.consumeChatMessage(user);
      expect(await outcome(a.consumeChatMessage(user))).toBeInstanceOf(ApiError);
      expect(await outcome(b.consumeChatMessage(user))).toBeUndefined();
    });

    it("#12 40 wrong passwords for one email at once through the login route: at most 5 are checked on Redis", async () => {
      process.env.REDIS_URL = redisUrl;
      process.env.RATE_LIMIT_PREFIX = newPrefix();
      resetConfigForTests();
      resetRateLimitsForTests();
      try {
        expect(getRateLimits().store.kind).toBe("redis");
        const statuses = await loginBurst(`${randomUUID()}@example.test`, 40);
        expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
        expect(statuses.filter((s) => s !== 429 && s !== 401)).toEqual([]);
      } finally {
        delete process.env.REDIS_URL;
        delete process.env.RATE_LIMIT_PREFIX;
        resetConfigForTests();
        resetRateLimitsForTests();
      }
    });

    it("the app's own limits use Redis when REDIS_URL is set", async () => {
      const prefix = newPrefix();
      process.env.REDIS_URL = redisUrl;
      process.env.RATE_LIMIT_PREFIX = prefix;
      resetConfigForTests();
      resetRateLimitsForTests();
      try {
        const limits = getRateLimits();
        expect(limits.store.kind).toBe("redis");
        await limits.consumeSignup("ip-app");
        expect(await admin?.get(`${prefix}:signup-ip:ip-app`)).toBe("1");
      } finally {
        delete process.env.REDIS_URL;
        delete process.env.RATE_LIMIT_PREFIX;
        resetConfigForTests();
        resetRateLimitsForTests();
      }
    });
  },
);

// No Redis needed: nothing listens on port 1 of the loopback address.
describe("when Redis is unreachable", () => {
  it("falls back to this instance's memory with the same numbers, and says so in the log", async () => {
    const warnings: string[] = [];
    const limits = instance(newPrefix(), { url: "redis://127.0.0.1:1", warn: (m) => warnings.push(m) });
    expect(limits.store.kind).toBe("redis");
    const user = randomUUID();
    for (let i = 0; i < MESSAGES_PER_MINUTE; i++) expect(await outcome(limits.consumeChatMessage(user))).toBeUndefined();
    const refused = await outcome(limits.consumeChatMessage(user));
    expect(refused?.code).toBe("rate_limited:chat");
    expect(Number(refused?.headers?.["Retry-After"])).toBeGreaterThan(0);
    // Login checks keep working too (not a 500 for everyone because the cache is down).
    expect(await outcome(limits.beginLogin("a@example.test", "ip"))).toBeUndefined();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/Redis .*this instance's memory/);
  });
});
