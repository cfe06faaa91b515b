import "server-only";
import { getActiveLeaf, getMessage } from "@/lib/db/queries/messages";
import { watchReply, type WatchEvent } from "./watch";

/**
 * The reply to one user message, for a client that sent it and lost the answer (#15: a send the server stored
 * before the connection dropped): the reply being generated, live (watch.ts), or the stored reply if it answers
 * that message and ends the active path. Undefined when neither: the message was answered long ago, or never stored.
 */
export async function replayTurn(
  ownerId: string,
  sessionId: string,
  userMessageId: string,
  signal: AbortSignal,
): Promise<AsyncGenerator<WatchEvent> | undefined> {
  const live = await watchReply(ownerId, sessionId, signal);
  if (live) return live;
  const [sent, last] = await Promise.all([getMessage(ownerId, sessionId, userMessageId), getActiveLeaf(ownerId, sessionId)]);
  if (!sent || sent.role !== "user" || last?.role !== "assistant" || last.parentId !== sent.id) return undefined;
  return (async function* (): AsyncGenerator<WatchEvent> {
    yield { type: "begin", live: false, messageId: last.id, model: last.model ?? "", text: "", reasoning: "" };
    yield { type: "end", message: last, text: last.content, reasoning: "", restart: false };
  })();
}
