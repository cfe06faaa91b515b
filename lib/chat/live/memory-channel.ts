import "server-only";
import type { LiveChannel } from "./channel";

/** In-process topics: enough when every watcher is in this process (PGlite: one process owns the database). */
export function createMemoryChannel(): LiveChannel {
  const topics = new Map<string, Set<(message: string) => void>>();
  return {
    kind: "memory",
    async publish(topic, message) {
      // A copy: a listener may unsubscribe while we deliver.
      for (const listener of [...(topics.get(topic) ?? [])]) {
        try {
          listener(message);
        } catch {
          // One watcher's failure is not the generation's.
        }
      }
    },
    async subscribe(topic, listener) {
      let listeners = topics.get(topic);
      if (!listeners) topics.set(topic, (listeners = new Set()));
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && topics.get(topic) === listeners) topics.delete(topic);
      };
    },
    async close() {
      topics.clear();
    },
  };
}
