import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { readJson } from "@/lib/api/http";
import { assertMayChat } from "@/lib/accounts/state";
import { requireRequestUser } from "@/lib/auth/server";
import { chatBody, chatIdParam as sessionIdParam } from "@/lib/chats/schemas";
import { sendMessage } from "@/lib/chat/engine/send-message";
import type { Generation, GenerationOutcome } from "@/lib/chat/engine/types";
import type { PhaseTimer } from "@/lib/chat/engine/server-timing";

/** Shared by the two REST chat routes: auth, path id, body, then the one send-message service. */
export async function startRestGeneration(
  request: Request,
  context: { params: Promise<{ id: string }> },
  timer?: PhaseTimer,
): Promise<Generation> {
  const user = await requireRequestUser(request);
  timer?.mark("auth");
  const id = sessionIdParam.safeParse((await context.params).id);
  if (!id.success) throw notFound("session");
  const body = await readJson(request, chatBody, "message");
  timer?.mark("body");
  await assertMayChat(user);
  return sendMessage({
    ownerId: user.id,
    sessionId: id.data,
    text: body.message,
    trigger: body.regenerate ? "regenerate-message" : "submit-message",
    parentId: body.parent_id,
    editOf: body.edit_of,
    timer,
  });
}

/**
 * A failed generation as the REST API answers it before any text was sent: 502 `upstream:<what>` for the
 * model's failures, 500 `internal:generation` when the reply could not be stored.
 */
export function generationFailure(error: GenerationOutcome["error"]): ApiError {
  const code = error?.code ?? "upstream:model";
  const surface = code.slice(code.indexOf(":") + 1);
  return new ApiError(code.startsWith("internal:") ? "internal" : "upstream", surface, error?.detail ?? "The model failed");
}
