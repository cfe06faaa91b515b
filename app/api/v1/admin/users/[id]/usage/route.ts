import { json, queryOf, withAdmin } from "@/lib/api/route";
import { userUsage } from "@/lib/admin/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/admin/users/{id}/usage?from=&to=&group_by= → that account's tokens and cost (figures only; admins only). */
export const GET = withAdmin<{ id: string }>("user", async ({ request, params }) =>
  json(await userUsage(params.id, queryOf(request))),
);
