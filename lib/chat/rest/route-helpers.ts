import "server-only";
import { notFound } from "@/lib/api/errors";
import { readJson } from "@/lib/api/http";
import { requireRequestUser } from "@/lib/auth/server";
import { summarizeAfterReply } from "@/lib/chat/engine/memory-hook";
import { runAfter } from "@/lib/server/run-after";
import { chatBody, chatIdParam as sessionIdParam } from "@/lib/chats/schemas";
import { startGeneration, type Generation } from "@/lib/chat/engine/send-message";
import type { PhaseTimer } from "@/lib/chat/engine/server-timing";

/** Shared by the two REST chat routes: auth, path id, body, then the one send-message service. */
export async function startRestGeneration(request: Request, context: { params: Promise<{ id: string }> }, timer?: PhaseTimer): Promise<Generation> {
  const user = await requireRequestUser(request);
  timer?.mark("auth");
  const id = sessionIdParam.safeParse((await context.params).id);
  if (!id.success) throw notFound("session");
  const body = await readJson(request, chatBody, "message");
  timer?.mark("body");
  const generation = await startGeneration({ ownerId: user.id, sessionId: id.data, text: body.message, timer });
  runAfter(summarizeAfterReply(user.id, generation));
  return generation;
}
