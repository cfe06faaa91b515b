import { z } from "zod";
import { readJson } from "@/lib/api/http";
import { withNextCursor } from "@/lib/api/pagination";
import { json, queryOf, withUser } from "@/lib/api/route";
import { createProjectFor, listProjectsOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

export const GET = withUser("project", async ({ user, request }) => {
  const page = await listProjectsOf(user.id, queryOf(request));
  return withNextCursor(page.items, page.nextCursor);
});

export const POST = withUser("project", async ({ user, request }) => {
  // The body's shape is checked by the service (shared with the dashboard); here only transport rules apply.
  const body = await readJson(request, z.unknown(), "project");
  const project = await createProjectFor(user.id, body);
  return json(project, { status: 201, headers: { Location: `/api/v1/project/${project.id}` } });
});
