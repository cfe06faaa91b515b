import { readJson, withApi } from "@/lib/api/http";
import { resetPasswordConfirmSchema } from "@/lib/auth/schemas";
import { confirmPasswordReset } from "@/lib/auth/service";

export const POST = withApi(async (request: Request) => {
  const { token, password } = await readJson(request, resetPasswordConfirmSchema, "auth");
  await confirmPasswordReset(token, password);
  return Response.json({ message: "Your password has been changed. Please log in." }, { headers: { "Cache-Control": "no-store" } });
});
