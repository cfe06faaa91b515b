import { z } from "zod";
import { requireRequestUser } from "@/lib/auth/server";
import { readJson, withApi } from "@/lib/api/http";
import { withNextCursor } from "@/lib/api/pagination";
import { createProjectFor, listProjectsOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

export const GET = withApi(async (request: Request) => {
  const user = await requireRequestUser(request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const page = await listProjectsOf(user.id, query);
  return withNextCursor(page.items, page.nextCursor);
});

export const POST = withApi(async (request: Request) => {
  const user = await requireRequestUser(request);
  // The body's shape is checked by the service (shared with the dashboard); here only transport rules apply.
  const body = await readJson(request, z.unknown(), "project");
  const project = await createProjectFor(user.id, body);
  return Response.json(project, { status: 201, headers: { "Cache-Control": "no-store", Location: `/api/v1/project/${project.id}` } });
});
