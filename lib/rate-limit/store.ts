import "server-only";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

/**
 * Where rate-limit counters live. Without REDIS_URL: in this process's memory (right for one self-hosted
 * instance). With it: in Redis, so every instance draws on one budget per key.
 *
 * When Redis is down or slow, each limiter falls back to an in-memory "insurance" limiter with the same
 * numbers (rate-limiter-flexible's `insuranceLimiter`): limits then hold per instance instead of across
 * instances. We chose this over failing closed (answering 429 to everyone) because a chat platform must not
 * lock every user out of signing in or chatting because Redis blinked, and over failing fully open because
 * the per-instance limit still bounds password guessing. The switch is logged (at most once a minute).
 */

export interface LimitSpec {
  /** Unique per limit: part of the key, so two limits never share counters. */
  name: string;
  points: number;
  /** Window in seconds. */
  duration: number;
}

export interface LimiterStore {
  readonly kind: "memory" | "redis";
  /** The same spec always gives the same limiter: everyone using this store shares its counters, as in Redis. */
  limiter(spec: LimitSpec): RateLimiterAbstract;
  /** Resolves once Redis is connected or the first attempt failed (then the fallback answers); never rejects. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface LimiterStoreOptions {
  redisUrl?: string;
  /** Prefix of every key, e.g. "parley": deployments (and parallel test runs) sharing a Redis stay apart. */
  prefix: string;
  /** Told when limits fall back to memory; defaults to console.warn. */
  warn?: (message: string) => void;
}

/** A Redis that does not answer within this long is treated as down for that request. */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;
const REDIS_CONNECT_TIMEOUT_MS = 2_000;
const FALLBACK_WARNING_INTERVAL_MS = 60_000;

export function createLimiterStore(options: LimiterStoreOptions): LimiterStore {
  const store: LimiterStore = options.redisUrl
    ? createRedisStore(options.redisUrl, options)
    : {
        kind: "memory",
        limiter: (spec) =>
          new RateLimiterMemory({ keyPrefix: `${options.prefix}:${spec.name}`, points: spec.points, duration: spec.duration }),
        ready: () => Promise.resolve(),
        close: () => Promise.resolve(),
      };
  // A RateLimiterMemory keeps its counters inside itself: two made for one limit would count apart.
  const limiters = new Map<string, RateLimiterAbstract>();
  return {
    ...store,
    limiter: (spec) => {
      const id = `${spec.name}/${spec.points}/${spec.duration}`;
      let limiter = limiters.get(id);
      if (!limiter) limiters.set(id, (limiter = store.limiter(spec)));
      return limiter;
    },
  };
}

function createRedisStore(url: string, options: LimiterStoreOptions): LimiterStore {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let lastWarning = 0;
  const warnFallback = (why: string) => {
    const now = Date.now();
    if (now - lastWarning < FALLBACK_WARNING_INTERVAL_MS) return;
    lastWarning = now;
    warn(`[parley] rate limits: Redis ${why}; limits are kept in this instance's memory until it answers again`);
  };

  const client = new Redis(url, {
    // Without a connection, commands fail at once (and the in-memory fallback answers) instead of queueing
    // while requests wait.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    // Reconnect forever, at most every 2 s: Redis coming back restores shared limits without a restart.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // An error event without a listener would crash the process; connection errors only mean "fall back".
  client.on("error", (error: Error) => warnFallback(`is unreachable (${error.message.slice(0, 120)})`));

  const ready = new Promise<void>((resolve) => {
    const done = () => {
      client.off("ready", done);
      client.off("error", done);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, REDIS_CONNECT_TIMEOUT_MS);
    client.once("ready", done);
    client.once("error", done);
  });

  return {
    kind: "redis",
    limiter: (spec) => {
      const keyPrefix = `${options.prefix}:${spec.name}`;
      return new RateLimiterRedis({
        storeClient: client,
        keyPrefix,
        points: spec.points,
        duration: spec.duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new InsuranceLimiter({ keyPrefix, points: spec.points, duration: spec.duration }, () =>
          warnFallback("did not answer"),
        ),
      });
    },
    ready: () => ready,
    close: async () => {
      // quit() waits for pending replies; disconnect() when the connection is not up (quit would hang).
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

/** The limiter's methods the Redis limiter calls on its insurance: each is a use of the stand-in. */
const INSURANCE_METHODS = ["consume", "penalty", "reward", "get", "delete"] as const;

/** The in-memory stand-in used while Redis fails; it reports each use so the switch is visible in the log. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(opts: ConstructorParameters<typeof RateLimiterMemory>[0], onUse: () => void) {
    super(opts);
    for (const name of INSURANCE_METHODS) {
      const method: (...args: never[]) => unknown = super[name].bind(this);
      Object.defineProperty(this, name, {
        writable: true,
        configurable: true,
        value: (...args: never[]) => {
          onUse();
          return method(...args);
        },
      });
    }
  }
}
