import { z } from "zod";
import { signupPolicies } from "@/lib/config/env";
import { accountRoles, accountStatuses } from "@/lib/db/schema";

/** What the admin API answers: account figures, never chat contents. */

export const adminUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  full_name: z.string(),
  role: z.enum(accountRoles),
  role_from_env: z.boolean().describe("An admin through ADMIN_EMAILS: the role cannot be changed here"),
  status: z.enum(accountStatuses),
  monthly_cost_limit: z.string().nullable().describe("USD per calendar month (UTC), exact decimal; null: no limit"),
  monthly_token_limit: z.number().int().nullable().describe("Tokens per calendar month (UTC); null: no limit"),
  month_cost: z.string().describe("This calendar month's cost so far, USD, exact decimal"),
  month_tokens: z.number().int().describe("This calendar month's input plus output tokens so far"),
  over_budget: z.boolean().describe("A limit is reached: new replies answer 402 budget_exceeded:chat"),
  created_at: z.iso.datetime({ offset: true }),
});
export type AdminUserView = z.output<typeof adminUserSchema>;

export const adminUserListSchema = z.object({ items: z.array(adminUserSchema) });

export const adminSettingsSchema = z.object({
  signup_policy: z.enum(signupPolicies),
  model_allow_list: z
    .array(z.string())
    .describe("The allow-list in force: the run-time one, else OPENROUTER_MODELS or its default"),
  default_model: z.string().nullable().describe("The run-time default model; null: the first usable model of the list"),
  user_keys_enabled: z.boolean(),
  overridden: z.array(z.string()).describe("Settings set at run time (the others come from the environment)"),
});
export type AdminSettingsView = z.output<typeof adminSettingsSchema>;

export const adminAuditEntrySchema = z.object({
  id: z.uuid(),
  actor_id: z.uuid(),
  actor_email: z.string(),
  action: z.string().describe("user.create, user.role, user.status, user.budget, user.delete or settings.update"),
  target_id: z.uuid().nullable(),
  target_email: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.iso.datetime({ offset: true }),
});
export const adminAuditListSchema = z.object({ items: z.array(adminAuditEntrySchema) });
export type AdminAuditView = z.output<typeof adminAuditEntrySchema>;
