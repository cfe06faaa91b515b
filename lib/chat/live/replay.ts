import "server-only";
import { notFound } from "@/lib/api/errors";
import { getActiveLeaf, getMessage } from "@/lib/db/queries/messages";
import { getSession } from "@/lib/db/queries/sessions";
import type { MessageRow } from "@/lib/db/schema";
import { leaseHolder, watchReply, type WatchEvent } from "./watch";

/**
 * The reply to one user message, for a client that sent it and lost the answer (#15: a send the server stored
 * before the connection dropped): the reply being generated, live (watch.ts), or the stored reply if it answers
 * that message and ends the active path. Undefined when neither: the message was answered long ago, or never stored.
 * The chat screen's retry and the REST stream's retry (a repeated `client_message_id`) both answer with it.
 */
export async function replayTurn(
  ownerId: string,
  sessionId: string,
  userMessageId: string,
  signal: AbortSignal,
): Promise<AsyncGenerator<WatchEvent> | undefined> {
  const live = await watchReply(ownerId, sessionId, signal);
  if (live) {
    // The reply being generated is this message's only while the chat's path ends at the message (or, just stored,
    // at its reply): a later message's reply is not this send's answer.
    const leaf = await getActiveLeaf(ownerId, sessionId);
    if (leaf && (leaf.id === userMessageId || (leaf.role === "assistant" && leaf.parentId === userMessageId))) return live;
    await live.return(undefined);
  }
  const turn = await storedTurn(ownerId, sessionId, userMessageId);
  if (!turn) return undefined;
  const { reply } = turn;
  return (async function* (): AsyncGenerator<WatchEvent> {
    yield { type: "begin", live: false, messageId: reply.id, model: reply.model ?? "", text: "", reasoning: "" };
    yield { type: "end", message: reply, text: reply.content, reasoning: "", restart: false };
  })();
}

export interface StoredTurn {
  question: MessageRow;
  reply: MessageRow;
}

/**
 * The same turn for an answer that cannot follow a live reply (the REST API's JSON send): "generating" while a
 * reply is being generated in the chat, else the stored turn as replayTurn finds it. The lease is read first: a
 * reply is stored before its lease is released, so a chat found free has its reply stored (or never will: its
 * instance died).
 */
export async function settledTurn(
  ownerId: string,
  sessionId: string,
  userMessageId: string,
): Promise<"generating" | StoredTurn | undefined> {
  const session = await getSession(ownerId, sessionId);
  if (!session) throw notFound("session");
  if (leaseHolder(session)) return "generating";
  return storedTurn(ownerId, sessionId, userMessageId);
}

/** The user message and its stored reply, when that reply ends the chat's active path (the latest turn). */
async function storedTurn(ownerId: string, sessionId: string, userMessageId: string): Promise<StoredTurn | undefined> {
  const [question, reply] = await Promise.all([getMessage(ownerId, sessionId, userMessageId), getActiveLeaf(ownerId, sessionId)]);
  if (!question || question.role !== "user" || reply?.role !== "assistant" || reply.parentId !== question.id) return undefined;
  return { question, reply };
}
