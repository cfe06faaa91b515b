import { withApi, parseParams, readJson } from "@/lib/api/http";
import { withNextCursor } from "@/lib/api/pagination";
import { requireRequestUser } from "@/lib/auth/server";
import { createSessionBody, listSessionsQuery } from "@/lib/chat/schemas";
import { createChatSession, listChatSessions } from "@/lib/chat/sessions-service";
import { sessionView } from "@/lib/chat/views";

export const dynamic = "force-dynamic";

/** POST /api/v1/sessions {project_id, title?, chat_model?} → 201 session; 404 project; 422 unknown model. */
export const POST = withApi(async (request: Request) => {
  const user = await requireRequestUser(request);
  const body = await readJson(request, createSessionBody, "session");
  const row = await createChatSession(user.id, { projectId: body.project_id, title: body.title, model: body.chat_model });
  return Response.json(sessionView(row), { status: 201, headers: { "Cache-Control": "no-store" } });
});

/** GET /api/v1/sessions?project_id=&limit=&cursor= → the caller's sessions, most recently active first. */
export const GET = withApi(async (request: Request) => {
  const user = await requireRequestUser(request);
  const query = parseParams(listSessionsQuery, Object.fromEntries(new URL(request.url).searchParams), "query");
  const page = await listChatSessions(user.id, { projectId: query.project_id, limit: query.limit, cursor: query.cursor });
  return withNextCursor(page.rows.map((row) => sessionView(row)), page.nextCursor);
});
