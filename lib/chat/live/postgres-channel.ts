import "server-only";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { SUBSCRIBE_TIMEOUT_MS, within, type LiveChannel } from "./channel";
import { TopicListeners } from "./topic-listeners";

/**
 * PostgreSQL LISTEN/NOTIFY on its own connection (not the pool's: a listening connection is held for good, and
 * notifications must not queue behind queries). One PostgreSQL channel per kind of topic (`parley_live`,
 * `parley_ask`); the payload names the topic and this process fans out. NOTIFY carries at most 8000 bytes, so a
 * longer message (a snapshot of a long reply) travels in pieces that the listener puts back together; NOTIFYs
 * from one session arrive in order. Nothing is written to a table: no WAL, no vacuum (the design rule of no
 * per-token writes holds).
 */
const PIECE_CHARS = 2_400; // ≤ 3 bytes per UTF-16 unit in UTF-8: a piece stays under 7,200 bytes

export function createPostgresChannel(url: string): LiveChannel {
  // No type fetch on connect: LISTEN and NOTIFY use none, and it is one more query a cut connection can fail in.
  const sql = postgres(url, {
    max: 1,
    connect_timeout: SUBSCRIBE_TIMEOUT_MS / 1000,
    prepare: false,
    fetch_types: false,
    onnotice: () => {},
  });
  const pending = new Map<string, string[]>();
  const channelOf = (topic: string) => `parley_${topic.slice(0, topic.indexOf(":"))}`;
  const listening = new Map<string, Promise<{ unlisten(): Promise<void> }>>();
  const onNotify = (payload: string) => {
    const newline = payload.indexOf("\n");
    const [topic, id, position] = payload.slice(0, newline).split(" ");
    const piece = payload.slice(newline + 1);
    const [index, count] = (position ?? "").split("/").map(Number);
    if (!topic || !id || !count) return;
    if (count === 1) return listeners.deliver(topic, piece);
    const pieces = pending.get(id) ?? [];
    pieces[index!] = piece;
    pending.set(id, pieces);
    if (pieces.filter((p) => p !== undefined).length < count) return;
    pending.delete(id);
    listeners.deliver(topic, pieces.join(""));
  };
  const listeners = new TopicListeners(
    async (topic) => {
      const channel = channelOf(topic);
      let listen = listening.get(channel);
      if (!listen) {
        listen = sql.listen(channel, onNotify);
        listening.set(channel, listen);
        listen.catch(() => listening.delete(channel));
      }
      await within(listen, SUBSCRIBE_TIMEOUT_MS);
    },
    // The LISTEN per kind stays: other topics of the kind share it, and notifications for topics without a
    // listener here are dropped by the fan-out.
    async () => {},
  );
  return {
    kind: "postgres",
    async publish(topic, message) {
      const pieces: string[] = [];
      for (let at = 0; at < message.length || pieces.length === 0;) {
        let end = Math.min(at + PIECE_CHARS, message.length);
        // Never split a surrogate pair: half of one is not valid text in a NOTIFY payload.
        const last = message.charCodeAt(end - 1);
        if (end < message.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
        pieces.push(message.slice(at, end));
        at = end;
      }
      const id = pieces.length > 1 ? randomUUID() : "-";
      const channel = channelOf(topic);
      try {
        for (const [index, piece] of pieces.entries())
          await sql.notify(channel, `${topic} ${id} ${index}/${pieces.length}\n${piece}`);
      } catch {
        // Lost: watchers fall back to the stored reply.
      }
    },
    subscribe: (topic, listener) => listeners.add(topic, listener),
    async close() {
      listeners.clear();
      await sql.end({ timeout: 1 }).catch(() => {});
    },
  };
}
