import { json, queryOf, withUser } from "@/lib/api/route";
import { usageReportOf } from "@/lib/usage/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/usage?from=&to=&group_by=day|model|project → the caller's tokens and cost (exact decimal strings). */
export const GET = withUser("usage", async ({ user, request }) => json(await usageReportOf(user.id, queryOf(request))));
