import { z } from "zod";
import { signupPolicies } from "@/lib/config/env";
import { accountRoles } from "@/lib/db/schema";
import { emailSchema, fullNameSchema, passwordSchema } from "@/lib/auth/schemas";
import { storableText } from "@/lib/validation/text";

/** Request shapes of the admin API (`/api/v1/admin/...`), shared by the routes, the /admin page and OpenAPI. */

export const adminUsersQuery = z.object({
  q: storableText().trim().max(200).optional().describe("Part of an email or name, case-insensitive"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A decimal amount of USD, as a string (exact: never a float). */
const usd = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,9})?$/, "must be a non-negative decimal amount of USD such as 5 or 12.50");

export const adminUserPatch = z
  .object({
    role: z.enum(accountRoles).optional(),
    /** `active` approves a pending account or enables a disabled one; `disabled` ends its sessions at once. */
    status: z.enum(["active", "disabled"]).optional(),
    monthly_cost_limit: usd.nullable().optional().describe("USD per calendar month (UTC); null removes the limit"),
    monthly_token_limit: z
      .number()
      .int()
      .min(0)
      .max(1e15)
      .nullable()
      .optional()
      .describe("Input plus output tokens per calendar month (UTC); null removes the limit"),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "name at least one field to change" });
export type AdminUserPatch = z.infer<typeof adminUserPatch>;

export const adminUserCreate = z
  .object({
    // The sign-up's own rules: an account an admin makes is held to the same ones.
    email: emailSchema,
    password: passwordSchema,
    full_name: fullNameSchema.optional(),
    role: z.enum(accountRoles).default("user"),
  })
  .strict();

const modelEntry = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // Printable ASCII only (OpenRouter's ids are `vendor/model:variant`; `*` in patterns): nothing jsonb refuses.
  .regex(/^[\x21-\x2b\x2d-\x7e]+$/, "a model id or pattern: printable ASCII, without spaces or commas");

/** Each field: a value sets it at run time, null returns it to the environment's value, absent leaves it. */
export const adminSettingsPatch = z
  .object({
    signup_policy: z.enum(signupPolicies).nullable().optional(),
    model_allow_list: z.array(modelEntry).min(1).max(500).nullable().optional(),
    default_model: modelEntry.nullable().optional(),
    user_keys_enabled: z.boolean().nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "name at least one setting to change" });
export type AdminSettingsPatch = z.infer<typeof adminSettingsPatch>;

export const adminAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  target_id: z.uuid().optional(),
});
