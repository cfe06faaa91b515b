import { json, queryOf, withAdmin } from "@/lib/api/route";
import { auditLog } from "@/lib/admin/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/admin/audit?limit=&target_id= → every admin change, newest first (admins only). */
export const GET = withAdmin("audit", async ({ request }) => json(await auditLog(queryOf(request))));
