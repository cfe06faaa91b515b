import { readJson, withApi } from "@/lib/api/http";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { authResultResponse } from "@/lib/auth/response";
import { loginRequestSchema } from "@/lib/auth/schemas";
import { logIn } from "@/lib/auth/service";

export const POST = withApi(async (request: Request) => {
  const body = await readJson(request, loginRequestSchema, "auth");
  return authResultResponse(request, await logIn(body, clientIpFrom(request.headers)), 200);
});
