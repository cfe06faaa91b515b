import type { Metadata } from "next";
import Link from "next/link";
import { buttonStyles } from "@/components/ui/button";
import { UsageChart } from "@/components/usage/usage-chart";
import { requirePageUser } from "@/lib/auth/page-user";
import { addDays, USAGE_DEFAULT_DAYS, usageQuery } from "@/lib/usage/schemas";
import { exactCost, formatCost, formatTokens } from "@/lib/usage/format";
import { reportFor } from "@/lib/usage/service";
import type { UsageReportView } from "@/lib/usage/views";

export const metadata: Metadata = { title: "Usage" };
export const dynamic = "force-dynamic";

/**
 * The signed-in user's tokens and cost over a range of UTC days (`?from=&to=`, default the last 30): totals, a
 * bar per day, and tables by day, model and project. The same service as GET /api/v1/usage; the range form is a
 * plain GET form, so the page needs no client code.
 */
export default async function UsagePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("/usage");
  const { from, to } = await searchParams;
  // A bad range in the address falls back to the default one rather than an error page.
  const parsed = usageQuery.safeParse({ from, to });
  const range = parsed.success ? parsed.data : usageQuery.parse({});
  const [byDay, byModel, byProject] = await Promise.all([
    reportFor(user.id, { ...range, group_by: "day" }),
    reportFor(user.id, { ...range, group_by: "model" }),
    reportFor(user.id, { ...range, group_by: "project" }),
  ]);
  const { totals } = byDay;
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-8 sm:px-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold">Usage</h1>
        <form method="get" className="flex flex-wrap items-end gap-2 text-sm">
          <label className="flex flex-col gap-1">
            From
            <input
              type="date"
              name="from"
              defaultValue={range.from}
              className="rounded border border-border bg-surface px-2 py-1"
            />
          </label>
          <label className="flex flex-col gap-1">
            To
            <input type="date" name="to" defaultValue={range.to} className="rounded border border-border bg-surface px-2 py-1" />
          </label>
          <button type="submit" className={buttonStyles({ variant: "secondary", size: "sm" })}>
            Show
          </button>
        </form>
      </div>
      {!parsed.success && (
        <p role="alert" className="text-sm text-danger">
          That range could not be shown (a range covers at most a year, and starts before it ends): here are the last{" "}
          {USAGE_DEFAULT_DAYS} days.
        </p>
      )}
      <section aria-labelledby="totals-heading" className="rounded-lg border border-border bg-surface p-6">
        <h2 id="totals-heading" className="sr-only">
          Totals
        </h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="usage-totals">
          <Figure label="Cost" value={formatCost(totals.cost)} title={exactCost(totals.cost)} />
          <Figure label="Input tokens" value={formatTokens(totals.input_tokens)} />
          <Figure label="Output tokens" value={formatTokens(totals.output_tokens)} />
          <Figure label="Model calls" value={formatTokens(totals.calls)} />
        </dl>
        <div className="mt-6">
          <UsageChart report={byDay} />
        </div>
      </section>
      <UsageTable title="By model" report={byModel} first="Model" />
      <UsageTable
        title="By project"
        report={byProject}
        first="Project"
        link={(key) => `/projects/${key}`}
        name={(g) => g.label ?? "Deleted projects"}
      />
      <UsageTable title="By day" report={byDay} first="Day (UTC)" />
      <p className="text-xs text-muted">
        Costs are what OpenRouter reported for each reply, chat title and memory summary, in US dollars; free and local models
        cost nothing. The same figures:{" "}
        <code>
          GET /api/v1/usage?from={range.from}&amp;to={range.to}
        </code>
        .{" "}
        <Link className="underline" href={`/usage?from=${addDays(range.to, -(USAGE_DEFAULT_DAYS - 1))}&to=${range.to}`}>
          Last {USAGE_DEFAULT_DAYS} days to {range.to}
        </Link>
      </p>
    </main>
  );
}

function Figure({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums" title={title}>
        {value}
      </dd>
    </div>
  );
}

type Group = UsageReportView["groups"][number];

function UsageTable({
  title,
  report,
  first,
  link,
  name = (g) => g.key ?? "",
}: {
  title: string;
  report: UsageReportView;
  first: string;
  link?: (key: string) => string;
  name?: (g: Group) => string;
}) {
  const id = `usage-${report.group_by}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-border bg-surface p-6">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {report.groups.length === 0 ? (
        <p className="text-sm text-muted">Nothing in this range.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm tabular-nums" data-testid={`usage-table-${report.group_by}`}>
            <thead className="text-xs text-muted">
              <tr>
                <th scope="col" className="py-1 pr-4 font-normal">
                  {first}
                </th>
                <th scope="col" className="py-1 pr-4 text-right font-normal">
                  Input tokens
                </th>
                <th scope="col" className="py-1 pr-4 text-right font-normal">
                  Output tokens
                </th>
                <th scope="col" className="py-1 text-right font-normal">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {report.groups.map((g) => (
                <tr key={g.key ?? "deleted"} className="border-t border-border">
                  <th scope="row" className="max-w-xs truncate py-1 pr-4 font-normal">
                    {link && g.key ? (
                      <Link className="underline" href={link(g.key)}>
                        {name(g)}
                      </Link>
                    ) : (
                      name(g)
                    )}
                  </th>
                  <td className="py-1 pr-4 text-right">{formatTokens(g.input_tokens)}</td>
                  <td className="py-1 pr-4 text-right">{formatTokens(g.output_tokens)}</td>
                  <td className="py-1 text-right" title={exactCost(g.cost)}>
                    {formatCost(g.cost)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
