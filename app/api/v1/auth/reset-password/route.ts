import { readJson, withApi } from "@/lib/api/http";
import { json } from "@/lib/api/route";
import { RESET_REQUESTED_MESSAGE, resetPasswordRequestSchema } from "@/lib/auth/schemas";
import { requestPasswordReset } from "@/lib/auth/service";

/** The same answer whether or not the account exists: no account enumeration. */
export const POST = withApi(async (request: Request) => {
  const { email } = await readJson(request, resetPasswordRequestSchema, "auth");
  await requestPasswordReset(email);
  return json({ message: RESET_REQUESTED_MESSAGE });
});
