import { z } from "zod";
import { readJson } from "@/lib/api/http";
import { withNextCursor } from "@/lib/api/pagination";
import { json, queryOf, withUser } from "@/lib/api/route";
import { createChatFor, listChatsOf } from "@/lib/chats/service";

export const dynamic = "force-dynamic";

/** POST /api/v1/sessions {project_id, title?, chat_model?} → 201 session; 404 project; 422 unknown model. */
export const POST = withUser("session", async ({ user, request }) => {
  // The body's shape is checked by the service; here only transport rules apply.
  const body = await readJson(request, z.unknown(), "session");
  return json(await createChatFor(user.id, body), { status: 201 });
});

/** GET /api/v1/sessions?project_id=&limit=&cursor= → the caller's sessions, most recently active first. */
export const GET = withUser("session", async ({ user, request }) => {
  const page = await listChatsOf(user.id, queryOf(request));
  return withNextCursor(page.items, page.nextCursor);
});
