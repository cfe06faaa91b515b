import "server-only";
import { notFound } from "@/lib/api/errors";
import { readJson } from "@/lib/api/http";
import { requireRequestUser } from "@/lib/auth/server";
import { chatBody, chatIdParam as sessionIdParam } from "@/lib/chats/schemas";
import { sendMessage } from "@/lib/chat/engine/send-message";
import type { Generation } from "@/lib/chat/engine/types";
import type { PhaseTimer } from "@/lib/chat/engine/server-timing";

/** Shared by the two REST chat routes: auth, path id, body, then the one send-message service. */
export async function startRestGeneration(request: Request, context: { params: Promise<{ id: string }> }, timer?: PhaseTimer): Promise<Generation> {
  const user = await requireRequestUser(request);
  timer?.mark("auth");
  const id = sessionIdParam.safeParse((await context.params).id);
  if (!id.success) throw notFound("session");
  const body = await readJson(request, chatBody, "message");
  timer?.mark("body");
  return sendMessage({ ownerId: user.id, sessionId: id.data, text: body.message, timer });
}
