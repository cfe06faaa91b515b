import "server-only";
import { getConfig } from "@/lib/config/env";
import { isTransactionPooler } from "@/lib/db/open";
import { createMemoryChannel } from "./memory-channel";
import { createPostgresChannel } from "./postgres-channel";
import { createRedisChannel } from "./redis-channel";

/**
 * The live channel: how the tokens of a reply being generated reach a watcher on any instance (reattach, #15).
 * Topics are per chat. Nothing here is durable and nothing is required: a message lost, or a channel that is
 * down, only makes a watcher fall back to "the reply appears when it is stored" (watch.ts).
 *
 * Which one (docs/architecture.md, "Live reattach"): Redis pub/sub when REDIS_URL is set; PostgreSQL
 * LISTEN/NOTIFY on a PostgreSQL database reached directly (instances share nothing else); in-process for PGlite
 * (one process owns the data folder, so every watcher is in this process) and behind a transaction pooler
 * (which cannot LISTEN).
 */
export interface LiveChannel {
  readonly kind: "memory" | "postgres" | "redis";
  /** Never rejects: a failed publish is a lost message, which watchers survive. */
  publish(topic: string, message: string): Promise<void>;
  /** Resolves once subscribed (rejects when the channel is unavailable); the result unsubscribes. */
  subscribe(topic: string, listener: (message: string) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** A Redis or PostgreSQL that does not confirm a subscription within this long counts as unavailable. */
export const SUBSCRIBE_TIMEOUT_MS = 1_500;

const holder = globalThis as typeof globalThis & { __parleyLiveChannel?: LiveChannel };

/** This process's channel, chosen by the configuration (one per process, shared by every route bundle). */
export function getLiveChannel(): LiveChannel {
  if (holder.__parleyLiveChannel) return holder.__parleyLiveChannel;
  const config = getConfig();
  let channel: LiveChannel;
  if (config.redisUrl) channel = createRedisChannel(config.redisUrl, config.rateLimit.prefix);
  else if (config.database.kind === "postgres" && !isTransactionPooler(config.database.url))
    channel = createPostgresChannel(config.database.url);
  else channel = createMemoryChannel();
  return (holder.__parleyLiveChannel = channel);
}

/**
 * Closes this process's channel, if one was opened, and forgets it. A test file's teardown calls it before its
 * database is dropped: a LISTEN connection left open would be cut by the drop and reconnect into a database that is
 * gone, failing outside any test.
 */
export async function closeLiveChannel(): Promise<void> {
  const channel = holder.__parleyLiveChannel;
  holder.__parleyLiveChannel = undefined;
  await channel?.close();
}

/** Tests swap the channel (a broken one, or one per simulated instance). */
export function setLiveChannel(channel: LiveChannel | undefined): void {
  holder.__parleyLiveChannel = channel;
}

/** Topics: the generating instance's frames for a chat, and watchers' requests for the text so far. */
export const framesTopic = (sessionId: string) => `live:${sessionId}`;
export const askTopic = (sessionId: string) => `ask:${sessionId}`;

/** Rejects after `ms` (a subscription that hangs is as good as a failed one). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("live channel timeout")), ms))),
  ]).finally(() => clearTimeout(timer));
}
