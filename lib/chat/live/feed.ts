import "server-only";
import { askTopic, framesTopic, getLiveChannel } from "./channel";
import { liveAsk, parseJson, type LiveFrame } from "./protocol";

/** Deltas are sent in batches this far apart: a frame per token would cost a channel message per token. */
export const BATCH_MS = 50;

export interface LiveFeed {
  text(delta: string): void;
  reasoning(delta: string): void;
  /** The reply is stored: watchers read it from the database. */
  end(): void;
}

export interface LiveFeedInput {
  sessionId: string;
  generationId: string;
  assistantMessageId: string;
  model: string;
}

/**
 * The generating side of reattach. Nothing is published until a watcher asks: an unwatched reply (nearly all)
 * costs one subscription, opened in the background (nothing waits for it before the model is called), and
 * string appends. Once asked, the feed answers with the text so far and then publishes a batch every BATCH_MS.
 * The channel never slows or fails the generation: publishing is fire-and-forget, in order.
 */
export function openLiveFeed({ sessionId, generationId, assistantMessageId, model }: LiveFeedInput): LiveFeed {
  const channel = getLiveChannel();
  let text = "";
  let reasoning = "";
  let sentText = 0;
  let sentReasoning = 0;
  let frame = 0;
  let watched = false;
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One publish at a time: a frame split in pieces (PostgreSQL) must not interleave with the next.
  let queue: Promise<void> = Promise.resolve();
  const publish = (message: LiveFrame) => {
    const body = JSON.stringify(message);
    queue = queue.then(() => channel.publish(framesTopic(sessionId), body));
  };
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (sentText === text.length && sentReasoning === reasoning.length) return;
    publish({ k: "d", g: generationId, n: ++frame, t: text.slice(sentText), r: reasoning.slice(sentReasoning) });
    sentText = text.length;
    sentReasoning = reasoning.length;
  };
  const schedule = () => {
    if (watched && !timer) timer = setTimeout(flush, BATCH_MS);
  };
  const unsubscribe = channel
    .subscribe(askTopic(sessionId), (message) => {
      const ask = parseJson(liveAsk, message);
      if (!ask || ended) return;
      watched = true;
      flush();
      publish({ k: "s", g: generationId, n: frame, t: text, r: reasoning, m: assistantMessageId, model, to: ask.id });
    })
    // No channel: nobody can watch live; they see the reply once it is stored.
    .catch(() => () => {});
  return {
    text(delta) {
      text += delta;
      schedule();
    },
    reasoning(delta) {
      reasoning += delta;
      schedule();
    },
    end() {
      if (ended) return;
      ended = true;
      if (watched) {
        flush();
        publish({ k: "e", g: generationId });
      }
      void unsubscribe.then((off) => off());
    },
  };
}
