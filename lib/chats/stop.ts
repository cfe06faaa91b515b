import "server-only";
import { stopLocalGeneration } from "@/lib/chat/engine/stop-registry";
import { getActiveLeaf } from "@/lib/db/queries/messages";
import { getSession, releaseGeneration } from "@/lib/db/queries/sessions";
import { getChat } from "./service";

export interface StopOutcome {
  stopped: boolean;
  reply?: { id: string; status: "complete" | "incomplete" | "error" };
}

/**
 * The user's Stop: what arrived is stored, marked incomplete. `reply` is the chat's last reply as stored after
 * the stop, so a screen that stopped before the first word arrived (and so never learnt the reply's id) can
 * show it as the database has it.
 *
 * Why two paths: when the generation runs in this process (always with the embedded database, usually
 * otherwise) it is aborted at once. When it runs on another instance, no process-local state can reach it, so
 * the stop is recorded in the database by clearing the session's generation lease; the generating instance
 * polls its lease (every 500 ms) and stops itself when it is gone. The lease is
 * the state shared by all instances, so no extra column or message bus is needed.
 */
export async function stopChat(ownerId: string, chatId: unknown): Promise<StopOutcome> {
  const session = await getChat(ownerId, chatId);
  if (await stopLocalGeneration(session.id)) return stopped(ownerId, session.id);
  if (!session.generationId) return { stopped: false };
  await releaseGeneration(ownerId, session.id, session.generationId);
  // The generating side notices within its poll interval and stores what arrived (which moves last_seq).
  // Answer after that, so the client can send or regenerate at once without racing the stopped reply.
  for (let waited = 0; waited < 5_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await getSession(ownerId, session.id);
    if (!now || now.lastSeq > session.lastSeq || now.generationId) break;
  }
  return stopped(ownerId, session.id);
}

async function stopped(ownerId: string, sessionId: string): Promise<StopOutcome> {
  const last = await getActiveLeaf(ownerId, sessionId);
  const reply = last?.role === "assistant" ? { id: last.id, status: last.status } : undefined;
  return { stopped: true, ...(reply ? { reply } : {}) };
}
