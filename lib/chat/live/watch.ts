import "server-only";
import { randomUUID } from "node:crypto";
import { notFound } from "@/lib/api/errors";
import { getActiveLeaf, getMessage } from "@/lib/db/queries/messages";
import { getSession, isGenerationActive } from "@/lib/db/queries/sessions";
import type { ChatSessionRow, MessageRow } from "@/lib/db/schema";
import { askTopic, framesTopic, getLiveChannel, SUBSCRIBE_TIMEOUT_MS, within } from "./channel";
import { liveFrame, parseJson, type LiveFrame } from "./protocol";

/** How long a watcher waits for the generating instance to send the text so far before it goes without. */
const SNAPSHOT_WAIT_MS = 1_500;
/** How often a watcher checks the lease: the end it learns of when the channel lost the `e` frame (or is down). */
const LEASE_POLL_MS = 500;

export type WatchEvent =
  /** The reply so far. Without the channel (`live` false) nothing is known yet, not even the reply's id. */
  | { type: "begin"; live: boolean; messageId?: string; model: string; text: string; reasoning: string }
  | { type: "delta"; text: string; reasoning: string }
  /**
   * The reply as stored (undefined if it could not be), and what of it was not shown yet: `text` follows what the
   * events before showed, unless `restart` (what was shown is not a prefix of what was stored: show `text` whole).
   */
  | { type: "end"; message: MessageRow | undefined; text: string; reasoning: string; restart: boolean };

/**
 * Reattach (#15): the reply being generated in a chat, wherever it runs, as events from the text so far to the
 * stored end. Undefined when nothing is being generated (the routes answer 204); another user's chat throws
 * `not_found:session`. Never fails once started: when the channel is down or loses a frame, the watcher shows
 * what it has and waits for the stored reply, which it reads from the database ("the reply appears when done").
 */
export async function watchReply(
  ownerId: string,
  sessionId: string,
  signal: AbortSignal,
): Promise<AsyncGenerator<WatchEvent> | undefined> {
  const session = await getSession(ownerId, sessionId);
  if (!session) throw notFound("session");
  const generationId = leaseHolder(session);
  if (!generationId) return undefined;

  const frames: LiveFrame[] = [];
  let wake: (() => void) | undefined;
  const nudge = () => {
    wake?.();
    wake = undefined;
  };
  const channel = getLiveChannel();
  let unsubscribe: (() => void) | undefined;
  const ask = randomUUID();
  const subscribed = channel.subscribe(framesTopic(sessionId), (message) => {
    const frame = parseJson(liveFrame, message);
    if (frame && frame.g === generationId) {
      frames.push(frame);
      nudge();
    }
  });
  const askNow = () => channel.publish(askTopic(sessionId), JSON.stringify({ k: "a", id: ask }));
  try {
    unsubscribe = await within(subscribed, SUBSCRIBE_TIMEOUT_MS);
    await askNow();
  } catch {
    // The channel is unavailable: this watcher sees the reply when it is stored. A subscription that answers late
    // is dropped then.
    void subscribed.then((off) => off()).catch(() => {});
  }
  return events(
    { ownerId, sessionId, generationId, model: session.model, signal, frames, ask, askAgain: askNow, live: Boolean(unsubscribe) },
    (w) => (wake = w),
    () => unsubscribe?.(),
  );
}

/** The generation holding the chat's lease: none when free, or when it expired (its instance died). */
export function leaseHolder(session: Pick<ChatSessionRow, "generationId" | "generationExpiresAt">): string | undefined {
  const { generationId, generationExpiresAt } = session;
  if (!generationId || (generationExpiresAt && generationExpiresAt.getTime() < Date.now())) return undefined;
  return generationId;
}

interface WatchState {
  ownerId: string;
  sessionId: string;
  generationId: string;
  model: string;
  signal: AbortSignal;
  frames: LiveFrame[];
  ask: string;
  /** A generation that has just begun may not listen for asks yet: the watcher asks once more. */
  askAgain: () => Promise<void>;
  live: boolean;
}

async function* events(state: WatchState, onWake: (wake: () => void) => void, close: () => void): AsyncGenerator<WatchEvent> {
  const { ownerId, sessionId, generationId, signal, frames } = state;
  /** Resolves on a new frame, after `ms`, or on abort. */
  const next = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      onWake(done);
      signal.addEventListener("abort", done);
    });
  let running = true;
  let lastPoll = 0;
  const stillRunning = async () => {
    if (Date.now() - lastPoll < LEASE_POLL_MS) return running;
    lastPoll = Date.now();
    running = await isGenerationActive(ownerId, sessionId, generationId).catch(() => running);
    return running;
  };
  try {
    // 1. The text so far: the generating instance's snapshot (frames before it are covered by it).
    let shownText = "";
    let shownReasoning = "";
    let frame = -1; // the last frame applied; -1: live frames are not followed (no snapshot)
    let messageId: string | undefined;
    let ended = false;
    const waitUntil = Date.now() + (state.live ? SNAPSHOT_WAIT_MS : 0);
    let askedAgain = false;
    while (!signal.aborted && Date.now() < waitUntil) {
      if (!askedAgain && waitUntil - Date.now() < SNAPSHOT_WAIT_MS / 2) {
        askedAgain = true;
        await state.askAgain();
      }
      const snapshot = frames.find((f) => f.k === "s" && f.to === state.ask);
      if (snapshot?.k === "s") {
        ({ t: shownText, r: shownReasoning, n: frame, m: messageId } = snapshot);
        break;
      }
      if (frames.some((f) => f.k === "e") || !(await stillRunning())) break;
      await next(Math.min(LEASE_POLL_MS, Math.max(0, waitUntil - Date.now())));
    }
    if (signal.aborted) return;
    yield { type: "begin", live: frame >= 0, messageId, model: state.model, text: shownText, reasoning: shownReasoning };

    // 2. Live batches, in order, until the end frame or the lease is gone (a Stop, or an end frame lost).
    while (!signal.aborted && !ended) {
      let text = "";
      let reasoning = "";
      for (const f of frames.splice(0)) {
        if (f.k === "e") ended = true;
        else if (f.k === "d" && frame >= 0) {
          if (f.n <= frame) continue; // covered by the snapshot
          if (f.n !== frame + 1) {
            frame = -1; // a frame was lost: stop following, the stored reply will complete the text
            continue;
          }
          frame = f.n;
          text += f.t;
          reasoning += f.r;
        }
      }
      if (text || reasoning) {
        shownText += text;
        shownReasoning += reasoning;
        yield { type: "delta", text, reasoning };
      }
      if (ended || !(await stillRunning())) break;
      await next(LEASE_POLL_MS);
    }
    if (signal.aborted) return;

    // 3. The stored reply: the end frame is sent, and the lease released, only once it is stored.
    const stored = messageId ? await getMessage(ownerId, sessionId, messageId) : await lastReply(ownerId, sessionId);
    const content = stored?.content ?? shownText;
    const restart = !content.startsWith(shownText);
    yield {
      type: "end",
      message: stored,
      text: restart ? content : content.slice(shownText.length),
      reasoning: reasoningOf(stored).slice(restart ? 0 : shownReasoning.length),
      restart,
    };
  } finally {
    close();
  }
}

async function lastReply(ownerId: string, sessionId: string): Promise<MessageRow | undefined> {
  const last = await getActiveLeaf(ownerId, sessionId);
  return last?.role === "assistant" ? last : undefined;
}

function reasoningOf(message: MessageRow | undefined): string {
  if (!message || !Array.isArray(message.parts)) return "";
  return message.parts
    .map((part) =>
      part && typeof part === "object" && (part as { type?: unknown }).type === "reasoning"
        ? String((part as { text?: unknown }).text ?? "")
        : "",
    )
    .join("");
}
