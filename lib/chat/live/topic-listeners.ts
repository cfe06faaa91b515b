import "server-only";

/**
 * Local fan-out for the shared channels: one subscription upstream per topic however many listeners this
 * process has, opened on the first listener and closed with the last.
 */
export class TopicListeners {
  private readonly topics = new Map<string, Set<(message: string) => void>>();

  constructor(
    private readonly open: (topic: string) => Promise<void>,
    private readonly shut: (topic: string) => Promise<void>,
  ) {}

  async add(topic: string, listener: (message: string) => void): Promise<() => void> {
    let listeners = this.topics.get(topic);
    const first = !listeners;
    if (!listeners) this.topics.set(topic, (listeners = new Set()));
    listeners.add(listener);
    const remove = () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.topics.get(topic) !== listeners) return;
      this.topics.delete(topic);
      void this.shut(topic).catch(() => {});
    };
    if (first) {
      try {
        await this.open(topic);
      } catch (error) {
        remove();
        throw error;
      }
    }
    return remove;
  }

  deliver(topic: string, message: string): void {
    for (const listener of [...(this.topics.get(topic) ?? [])]) {
      try {
        listener(message);
      } catch {
        // One watcher's failure is not the others'.
      }
    }
  }

  clear(): void {
    this.topics.clear();
  }
}
