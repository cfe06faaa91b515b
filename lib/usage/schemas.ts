import { z } from "zod";

/** The longest range one usage request may cover (a year and a day: a leap year's 1 January to 1 January). */
export const USAGE_MAX_DAYS = 367;
/** Without `from`, the range covers this many days up to `to` (the Usage page's default). */
export const USAGE_DEFAULT_DAYS = 30;

const day = z.iso.date().describe("A UTC calendar day, YYYY-MM-DD (inclusive)");

/**
 * `GET /api/v1/usage?from=&to=&group_by=` and the Usage page's search params alike. Days are UTC and both ends
 * are included; `to` defaults to today, `from` to 29 days before `to`.
 */
export const usageQueryFields = z.object({
  from: day.optional().describe("First UTC day, YYYY-MM-DD (default: 29 days before `to`)"),
  to: day.optional().describe("Last UTC day, YYYY-MM-DD, included (default: today)"),
  group_by: z.enum(["day", "model", "project"]).default("day"),
});

/** The fields above with their defaults filled in and the range checked (from ≤ to, at most USAGE_MAX_DAYS). */
export const usageQuery = usageQueryFields.transform((q, ctx) => {
  // The format alone lets 2026-02-31 through: a day the calendar does not have is refused, not rolled over.
  for (const key of ["from", "to"] as const) {
    const value = q[key];
    if (value !== undefined && !realDay(value)) {
      ctx.addIssue({ code: "custom", path: [key], message: "Not a calendar day" });
      return z.NEVER;
    }
  }
  const to = q.to ?? new Date().toISOString().slice(0, 10);
  const from = q.from ?? addDays(to, -(USAGE_DEFAULT_DAYS - 1));
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1) ctx.addIssue({ code: "custom", path: ["from"], message: "from must not be after to" });
  else if (days > USAGE_MAX_DAYS)
    ctx.addIssue({ code: "custom", path: ["from"], message: `A range covers at most ${USAGE_MAX_DAYS} days` });
  return { from, to, group_by: q.group_by };
});
export type UsageQuery = z.output<typeof usageQuery>;

function realDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === day;
}

/** `day` + n days, as YYYY-MM-DD (UTC). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);
}
