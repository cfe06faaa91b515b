import { json, withUser } from "@/lib/api/route";
import { stopChat } from "@/lib/chats/stop";

export const dynamic = "force-dynamic";

/** POST /api/chat/{sessionId}/stop → 200 {stopped, reply?: {id, status}} (see lib/chats/stop.ts). */
export const POST = withUser<{ sessionId: string }>("session", async ({ user, params }) =>
  json(await stopChat(user.id, params.sessionId)),
);
