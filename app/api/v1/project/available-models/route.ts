import { requireRequestUser } from "@/lib/auth/server";
import { withApi } from "@/lib/api/http";
import { listAvailableModels } from "@/lib/ai/models";

export const dynamic = "force-dynamic";

/** A static segment: Next matches it before [id], so it cannot be shadowed as it was in the original. */
export const GET = withApi(async (request: Request) => {
  await requireRequestUser(request);
  return Response.json(await listAvailableModels(), { headers: { "Cache-Control": "no-store" } });
});
