import { readJson, withApi } from "@/lib/api/http";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { authResultResponse } from "@/lib/auth/response";
import { signupRequestSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/service";

export const POST = withApi(async (request: Request) => {
  const body = await readJson(request, signupRequestSchema, "auth");
  const result = await signUp(
    { email: body.email, password: body.password, fullName: body.full_name },
    clientIpFrom(request.headers),
  );
  return authResultResponse(request, result, 201);
});
