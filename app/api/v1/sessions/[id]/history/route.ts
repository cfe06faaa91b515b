import { withNextCursor } from "@/lib/api/pagination";
import { queryOf, withUser } from "@/lib/api/route";
import { listHistoryOf } from "@/lib/chats/service";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/sessions/{id}/history?before=<message id>&limit= → one page, oldest first. The newest page
 * comes first; `X-Next-Cursor` carries the id to pass as `before` for the page older than this one.
 */
export const GET = withUser<{ id: string }>("session", async ({ user, request, params }) => {
  const page = await listHistoryOf(user.id, params.id, queryOf(request));
  return withNextCursor(page.items, page.nextCursor);
});
