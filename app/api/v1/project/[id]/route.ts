import { z } from "zod";
import { noContent, readJson } from "@/lib/api/http";
import { json, withUser } from "@/lib/api/route";
import { deleteProjectOf, getProjectOf, updateProjectOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

export const GET = withUser<{ id: string }>("project", async ({ user, params }) => json(await getProjectOf(user.id, params.id)));

export const PATCH = withUser<{ id: string }>("project", async ({ user, request, params }) => {
  const body = await readJson(request, z.unknown(), "project");
  return json(await updateProjectOf(user.id, params.id, body));
});

export const DELETE = withUser<{ id: string }>("project", async ({ user, params }) => {
  await deleteProjectOf(user.id, params.id);
  return noContent();
});
