import { notFound } from "@/lib/api/errors";
import { parseParams, withApi } from "@/lib/api/http";
import { requireRequestUser } from "@/lib/auth/server";
import { historyQuery, sessionIdParam } from "@/lib/chat/schemas";
import { historyMessageView } from "@/lib/chat/views";
import { listMessagesPage } from "@/lib/db/queries/messages";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/sessions/{id}/history?before=<message id>&limit= → one page, oldest first. The newest page
 * comes first; `X-Next-Cursor` carries the id to pass as `before` for the page older than this one.
 */
export const GET = withApi(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireRequestUser(request);
  const id = sessionIdParam.safeParse((await context.params).id);
  if (!id.success) throw notFound("session");
  const query = parseParams(historyQuery, Object.fromEntries(new URL(request.url).searchParams), "query");
  const page = await listMessagesPage(user.id, id.data, { beforeId: query.before, limit: query.limit });
  if (!page) throw notFound(query.before ? "message" : "session");
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (page.hasMore && page.rows[0]) {
    headers.set("X-Next-Cursor", page.rows[0].id);
    headers.set("Access-Control-Expose-Headers", "X-Next-Cursor");
  }
  return Response.json(page.rows.map(historyMessageView), { headers });
});
