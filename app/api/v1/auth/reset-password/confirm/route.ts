import { readJson, withApi } from "@/lib/api/http";
import { json } from "@/lib/api/route";
import { resetPasswordConfirmSchema } from "@/lib/auth/schemas";
import { confirmPasswordReset } from "@/lib/auth/service";

export const POST = withApi(async (request: Request) => {
  const { token, password } = await readJson(request, resetPasswordConfirmSchema, "auth");
  await confirmPasswordReset(token, password);
  return json({ message: "Your password has been changed. Please log in." });
});
