import type { UsageReportView } from "@/lib/usage/views";
import { addDays } from "@/lib/usage/schemas";
import { exactCost, formatCost, formatTokens } from "@/lib/usage/format";

/**
 * Cost per day as bars, in inline SVG (no chart library): one bar per day of the range, days without usage at
 * zero. When nothing in the range cost anything (free and local models), the bars show tokens instead. A server
 * component: each bar's <title> is its tooltip, and the table beside it carries the same figures for screen readers.
 */
export function UsageChart({ report }: { report: UsageReportView }) {
  const byDay = new Map(report.groups.map((g) => [g.key ?? "", g]));
  const days: string[] = [];
  for (let day = report.from; day <= report.to; day = addDays(day, 1)) days.push(day);
  const byCost = Number(report.totals.cost) > 0;
  const valueOf = (day: string) => {
    const g = byDay.get(day);
    if (!g) return 0;
    return byCost ? Number(g.cost) : g.input_tokens + g.output_tokens;
  };
  const max = Math.max(...days.map(valueOf), 0);
  const width = 600;
  const height = 140;
  const slot = width / days.length;
  const bar = Math.max(1, slot * 0.7);
  return (
    <figure className="flex flex-col gap-2">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-36 w-full text-accent"
        role="img"
        aria-label={`${byCost ? "Cost" : "Tokens"} per day from ${report.from} to ${report.to}`}
        data-testid="usage-chart"
      >
        <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} className="stroke-border" strokeWidth={1} />
        {days.map((day, i) => {
          const value = valueOf(day);
          const h = max > 0 ? Math.max(value > 0 ? 2 : 0, (value / max) * (height - 8)) : 0;
          const g = byDay.get(day);
          return (
            <rect key={day} x={i * slot + (slot - bar) / 2} y={height - h} width={bar} height={h} className="fill-current">
              <title>
                {g
                  ? `${day}: ${formatTokens(g.input_tokens)} → ${formatTokens(g.output_tokens)} tokens, ${exactCost(g.cost)}`
                  : `${day}: nothing`}
              </title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="flex justify-between text-xs text-muted">
        <span>{report.from}</span>
        <span>{byCost ? `Cost per day (max ${formatCost(String(max))})` : `Tokens per day (max ${formatTokens(max)})`}</span>
        <span>{report.to}</span>
      </figcaption>
    </figure>
  );
}
