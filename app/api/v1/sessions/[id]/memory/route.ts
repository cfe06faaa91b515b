import { z } from "zod";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/http";
import { requireRequestUser } from "@/lib/auth/server";
import { getSession } from "@/lib/db/queries/sessions";
import { memoryStateOf } from "@/lib/memory/state";

export const dynamic = "force-dynamic";

/** GET /api/v1/sessions/{id}/memory → {summary, covers_through, covered_messages, status, updated_at, last_error} */
export const GET = withApi(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireRequestUser(request);
  const id = z.uuid().safeParse((await context.params).id);
  const session = id.success ? await getSession(user.id, id.data) : undefined;
  if (!session) throw notFound("session");
  return Response.json(memoryStateOf(session), { headers: { "Cache-Control": "no-store" } });
});
