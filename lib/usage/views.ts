import { z } from "zod";

/**
 * What GET /api/v1/usage answers. Costs are USD as exact decimal strings ("0.000123456"), summed by the
 * database over `numeric`: a client that needs arithmetic should use a decimal type, not a float.
 */
const totals = {
  input_tokens: z.number().int().min(0),
  output_tokens: z.number().int().min(0),
  cost: z.string().describe('USD, an exact decimal string; "0" when nothing was charged (free and local models)'),
  calls: z.number().int().min(0).describe("Model calls: replies, titles and summaries"),
};

export const usageGroupSchema = z.object({
  key: z
    .string()
    .nullable()
    .describe(
      "The UTC day (YYYY-MM-DD), the model id, or the project id, by group_by; null: projects deleted since (their usage is kept)",
    ),
  label: z.string().nullable().describe("The project's name when grouped by project; otherwise null"),
  ...totals,
});

export const usageReportSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  group_by: z.enum(["day", "model", "project"]),
  totals: z.object(totals),
  groups: z.array(usageGroupSchema).describe("Only groups with usage; days oldest first, models and projects costliest first"),
});
export type UsageReportView = z.output<typeof usageReportSchema>;
