import "server-only";
import { parseParams } from "@/lib/api/http";
import { usageReport, usageTotalsBetween, type UsageGroup, type UsageTotals } from "@/lib/db/queries/usage";
import { addDays, usageQuery, type UsageQuery } from "./schemas";
import type { UsageReportView } from "./views";

/** One user's usage over a range of UTC days, for the REST API and the Usage page alike. */
export async function usageReportOf(ownerId: string, query: unknown): Promise<UsageReportView> {
  return reportFor(ownerId, parseParams(usageQuery, query, "query"));
}

export async function reportFor(ownerId: string, { from, to, group_by }: UsageQuery): Promise<UsageReportView> {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${addDays(to, 1)}T00:00:00Z`);
  const [groups, totals] = await Promise.all([
    usageReport(ownerId, start, end, group_by),
    usageTotalsBetween(ownerId, start, end),
  ]);
  return { from, to, group_by, totals: totalsView(totals), groups: groups.map(groupView) };
}

export function totalsView(t: UsageTotals) {
  return { input_tokens: t.inputTokens, output_tokens: t.outputTokens, cost: t.cost, calls: t.calls };
}

function groupView(g: UsageGroup) {
  return { key: g.key, label: g.label, ...totalsView(g) };
}
