import { notFound } from "@/lib/api/errors";
import { noContent, readJson, withApi } from "@/lib/api/http";
import { requireRequestUser } from "@/lib/auth/server";
import { sessionIdParam, updateSessionBody } from "@/lib/chat/schemas";
import { updateChatSession } from "@/lib/chat/sessions-service";
import { sessionView } from "@/lib/chat/views";
import { deleteSession, getSession } from "@/lib/db/queries/sessions";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** A malformed id is simply not found (never a 500). */
async function sessionIdOf(context: Context): Promise<string> {
  const parsed = sessionIdParam.safeParse((await context.params).id);
  if (!parsed.success) throw notFound("session");
  return parsed.data;
}

export const GET = withApi(async (request: Request, context: Context) => {
  const user = await requireRequestUser(request);
  const row = await getSession(user.id, await sessionIdOf(context));
  if (!row) throw notFound("session");
  return Response.json(sessionView(row), { headers: { "Cache-Control": "no-store" } });
});

/** PATCH {title?, chat_model?} → 200 session. */
export const PATCH = withApi(async (request: Request, context: Context) => {
  const user = await requireRequestUser(request);
  const id = await sessionIdOf(context);
  const body = await readJson(request, updateSessionBody, "session");
  const row = await updateChatSession(user.id, id, { title: body.title, model: body.chat_model });
  return Response.json(sessionView(row), { headers: { "Cache-Control": "no-store" } });
});

/** DELETE → 204; its messages go with it. */
export const DELETE = withApi(async (request: Request, context: Context) => {
  const user = await requireRequestUser(request);
  if (!(await deleteSession(user.id, await sessionIdOf(context)))) throw notFound("session");
  return noContent();
});
