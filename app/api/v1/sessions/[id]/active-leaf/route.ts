import { z } from "zod";
import { readJson } from "@/lib/api/http";
import { json, withUser } from "@/lib/api/route";
import { selectChatBranchOf } from "@/lib/chats/service";

export const dynamic = "force-dynamic";

/**
 * PUT /api/v1/sessions/{id}/active-leaf {message_id} → 200 {active_leaf_id}: the chat shows and continues the
 * branch through that message (its newest message under it). 404 `not_found:message` when it is not in the chat.
 */
export const PUT = withUser<{ id: string }>("session", async ({ user, request, params }) => {
  const body = await readJson(request, z.unknown(), "session");
  return json(await selectChatBranchOf(user.id, params.id, body));
});
