import { withApi } from "@/lib/api/http";
import { requireRequestUser } from "@/lib/auth/server";

export const GET = withApi(async (request: Request) => {
  const user = await requireRequestUser(request);
  return Response.json({ valid: true, user_id: user.id, email: user.email }, { headers: { "Cache-Control": "no-store" } });
});
