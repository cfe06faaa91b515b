import { z } from "zod";
import { storableText } from "@/lib/validation/text";

/** Request bodies of /api/v1/auth/* — shared by the route handlers, the pages' server actions and OpenAPI. */
export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const FULL_NAME_MAX = 100;

export const emailSchema = z
  .string({ error: "Email is required" })
  .trim()
  .max(EMAIL_MAX, { message: `Email must be at most ${EMAIL_MAX} characters` })
  .pipe(z.email({ message: "Enter a valid email address" }))
  .transform((email) => email.toLowerCase());

export const passwordSchema = z
  .string({ error: "Password is required" })
  .min(PASSWORD_MIN, { message: `Password must be at least ${PASSWORD_MIN} characters` })
  .max(PASSWORD_MAX, { message: `Password must be at most ${PASSWORD_MAX} characters` });

/** A new password typed twice: spread into a form's object, then `.refine(passwordsMatch, passwordMismatch)`. */
export const confirmedPasswordFields = { password: passwordSchema, confirm: z.string() };
export const passwordsMatch = (v: { password: string; confirm: string }) => v.password === v.confirm;
export const passwordMismatch = { path: ["confirm"], message: "The passwords do not match" };

export const fullNameSchema = storableText("Full name must not contain NUL characters (\\u0000)")
  .trim()
  .min(1, { message: "Full name must not be empty" })
  .max(FULL_NAME_MAX, { message: `Full name must be at most ${FULL_NAME_MAX} characters` });

export const signupRequestSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  full_name: fullNameSchema.optional(),
});
// Login does not enforce the password length rules: a wrong password is "Invalid email or password", not a hint.
export const loginRequestSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Password is required" }).min(1).max(PASSWORD_MAX),
});
export const refreshRequestSchema = z.object({ refresh_token: z.string({ error: "refresh_token is required" }).min(1).max(512) });
export const logoutRequestSchema = z.object({ refresh_token: z.string().min(1).max(512).optional() }).optional();
export const resetPasswordRequestSchema = z.object({ email: emailSchema });
export const resetPasswordConfirmSchema = z.object({
  token: z.string({ error: "token is required" }).min(1).max(512),
  password: passwordSchema,
});

export const authUserResponseSchema = z.object({
  id: z.string(),
  email: z.string(),
  full_name: z.string(),
  created_at: z.string(),
});
export const tokenResponseSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
});
export const authResponseSchema = z.object({
  user: authUserResponseSchema,
  token: tokenResponseSchema,
  detail: z.string().optional(),
});
export const RESET_REQUESTED_MESSAGE = "If an account exists for this email, a reset link has been sent";
