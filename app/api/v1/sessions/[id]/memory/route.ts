import { json, withUser } from "@/lib/api/route";
import { getChatMemoryOf } from "@/lib/chats/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/sessions/{id}/memory → {summary, covers_through, covered_messages, status, updated_at, last_error} */
export const GET = withUser<{ id: string }>("session", async ({ user, params }) =>
  json(await getChatMemoryOf(user.id, params.id)),
);
