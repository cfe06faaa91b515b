import "server-only";
import { Redis } from "ioredis";
import { SUBSCRIBE_TIMEOUT_MS, within, type LiveChannel } from "./channel";
import { TopicListeners } from "./topic-listeners";

/**
 * Redis pub/sub: one connection publishes, one subscribes (a subscribed connection can do nothing else). Like
 * the rate limits, commands fail at once while Redis is away rather than queueing: a watcher then falls back.
 */
export function createRedisChannel(url: string, prefix: string): LiveChannel {
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: SUBSCRIBE_TIMEOUT_MS,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
    lazyConnect: true,
  };
  let subscriber: Redis | undefined;
  const name = (topic: string) => `${prefix}:${topic}`;
  const connect = (client: Redis) => {
    // An error event without a listener would crash the process; a down Redis only means "no live tokens".
    client.on("error", () => {});
    void client.connect().catch(() => {});
    return client;
  };
  const ready = (client: Redis) =>
    client.status === "ready"
      ? Promise.resolve()
      : within(new Promise<void>((resolve) => client.once("ready", () => resolve())), SUBSCRIBE_TIMEOUT_MS);
  const sub = () => {
    if (subscriber) return subscriber;
    subscriber = connect(new Redis(url, options));
    subscriber.on("message", (channel: string, message: string) => {
      if (channel.startsWith(`${prefix}:`)) listeners.deliver(channel.slice(prefix.length + 1), message);
    });
    return subscriber;
  };
  // Connected from the start: the first message published (a snapshot a watcher asked for) must not be the one
  // that waits for a connection.
  const publisher = connect(new Redis(url, options));
  const listeners = new TopicListeners(
    async (topic) => {
      const client = sub();
      await ready(client);
      await within(client.subscribe(name(topic)), SUBSCRIBE_TIMEOUT_MS);
    },
    async (topic) => {
      await subscriber?.unsubscribe(name(topic));
    },
  );
  return {
    kind: "redis",
    async publish(topic, message) {
      if (publisher.status !== "ready") await ready(publisher).catch(() => {});
      await publisher.publish(name(topic), message).catch(() => {});
    },
    subscribe: (topic, listener) => listeners.add(topic, listener),
    async close() {
      listeners.clear();
      publisher.disconnect();
      subscriber?.disconnect();
    },
  };
}
