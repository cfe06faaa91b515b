import { z } from "zod";
import { noContent, readJson } from "@/lib/api/http";
import { json, withUser } from "@/lib/api/route";
import { deleteChat, getChatOf, updateChatOf } from "@/lib/chats/service";

export const dynamic = "force-dynamic";

export const GET = withUser<{ id: string }>("session", async ({ user, params }) => json(await getChatOf(user.id, params.id)));

/** PATCH {title?, chat_model?} → 200 session. */
export const PATCH = withUser<{ id: string }>("session", async ({ user, request, params }) => {
  const body = await readJson(request, z.unknown(), "session");
  return json(await updateChatOf(user.id, params.id, body));
});

/** DELETE → 204; its messages go with it. */
export const DELETE = withUser<{ id: string }>("session", async ({ user, params }) => {
  await deleteChat(user.id, params.id);
  return noContent();
});
