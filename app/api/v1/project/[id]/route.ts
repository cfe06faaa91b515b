import { z } from "zod";
import { requireRequestUser } from "@/lib/auth/server";
import { noContent, readJson, withApi } from "@/lib/api/http";
import { deleteProjectOf, getProjectOf, updateProjectOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withApi(async (request: Request, { params }: Context) => {
  const user = await requireRequestUser(request);
  return Response.json(await getProjectOf(user.id, (await params).id), { headers: { "Cache-Control": "no-store" } });
});

export const PATCH = withApi(async (request: Request, { params }: Context) => {
  const user = await requireRequestUser(request);
  const body = await readJson(request, z.unknown(), "project");
  return Response.json(await updateProjectOf(user.id, (await params).id, body), { headers: { "Cache-Control": "no-store" } });
});

export const DELETE = withApi(async (request: Request, { params }: Context) => {
  const user = await requireRequestUser(request);
  await deleteProjectOf(user.id, (await params).id);
  return noContent();
});
