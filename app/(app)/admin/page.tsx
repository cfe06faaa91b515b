import type { Metadata } from "next";
import Link from "next/link";
import { SettingsForm } from "@/components/admin/settings-form";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { buttonStyles } from "@/components/ui/button";
import { UsageChart } from "@/components/usage/usage-chart";
import { auditLog, getUser, listUsers, settingsView, userUsage } from "@/lib/admin/service";
import { requirePageAdmin } from "@/lib/auth/page-user";
import { exactCost, formatCost, formatTokens } from "@/lib/usage/format";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const isUuid = (value: string | undefined): value is string =>
  value !== undefined && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/**
 * The administrators' page (others get the not-found page): accounts with search, roles, approval, disabling,
 * budgets and deletion; one account's usage over time (`?user=`); the run-time settings; the audit log. Read
 * here through the same services as the admin REST API; the client components change things through that API.
 * Usage figures only: nothing here shows a user's chats.
 */
export default async function AdminPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requirePageAdmin("/admin");
  const query = await searchParams;
  const q = first(query.q)?.slice(0, 200) ?? "";
  const selected = first(query.user);
  const [users, settings, audit] = await Promise.all([listUsers({ q }), settingsView(), auditLog({ limit: 50 })]);
  const focus = isUuid(selected) ? await getUser(selected).catch(() => undefined) : undefined;
  const usage = focus ? await userUsage(focus.id, { group_by: "day" }) : undefined;

  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-semibold">Admin</h1>

      <section aria-labelledby="users-heading" className="rounded-lg border border-border bg-surface p-6">
        <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
          <h2 id="users-heading" className="text-lg font-semibold">
            Users
          </h2>
          <form method="get" className="flex items-end gap-2 text-sm" role="search">
            <label className="flex flex-col gap-1">
              Search email or name
              <input name="q" defaultValue={q} className="rounded border border-border bg-bg px-2 py-1" />
            </label>
            <button type="submit" className={buttonStyles({ variant: "secondary", size: "sm" })}>
              Search
            </button>
          </form>
        </div>
        {users.items.length === 0 ? (
          <p className="text-sm text-muted">No account matches.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="admin-users">
              <thead className="text-xs text-muted">
                <tr>
                  <th scope="col" className="py-1 pr-4 font-normal">
                    Account
                  </th>
                  <th scope="col" className="py-1 pr-4 font-normal">
                    Role · status
                  </th>
                  <th scope="col" className="py-1 pr-4 text-right font-normal">
                    This month
                  </th>
                  <th scope="col" className="py-1 font-normal">
                    Actions and budget
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.items.map((user) => (
                  <tr key={user.id} className="border-t border-border align-top" data-testid={`admin-user-${user.email}`}>
                    <th scope="row" className="max-w-xs py-2 pr-4 font-normal">
                      <div className="truncate font-medium">{user.email}</div>
                      {user.full_name && <div className="truncate text-xs text-muted">{user.full_name}</div>}
                      <Link className="text-xs underline" href={`/admin?user=${user.id}`}>
                        Usage over time
                      </Link>
                    </th>
                    <td className="py-2 pr-4">
                      {user.role}
                      {user.role_from_env && " (ADMIN_EMAILS)"} · <span data-testid="user-status">{user.status}</span>
                      {user.over_budget && <div className="text-xs text-danger">over budget</div>}
                    </td>
                    <td className="py-2 pr-4 text-right tabular-nums">
                      <div title={exactCost(user.month_cost)}>{formatCost(user.month_cost)}</div>
                      <div className="text-xs text-muted">{formatTokens(user.month_tokens)} tokens</div>
                    </td>
                    <td className="py-2">
                      <UserRowActions user={user} self={user.id === admin.id} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {focus && usage && (
        <section aria-labelledby="usage-heading" className="rounded-lg border border-border bg-surface p-6">
          <h2 id="usage-heading" className="mb-1 text-lg font-semibold">
            Usage of {focus.email}
          </h2>
          <p className="mb-4 text-sm text-muted">
            {usage.from} to {usage.to} (UTC): {formatCost(usage.totals.cost)}, {formatTokens(usage.totals.input_tokens)} input and{" "}
            {formatTokens(usage.totals.output_tokens)} output tokens, {formatTokens(usage.totals.calls)} model calls. Figures
            only: chats stay private.
          </p>
          <UsageChart report={usage} />
        </section>
      )}

      <section aria-labelledby="settings-heading" className="rounded-lg border border-border bg-surface p-6">
        <h2 id="settings-heading" className="mb-4 text-lg font-semibold">
          Settings
        </h2>
        <SettingsForm settings={settings} />
      </section>

      <section aria-labelledby="audit-heading" className="rounded-lg border border-border bg-surface p-6">
        <h2 id="audit-heading" className="mb-3 text-lg font-semibold">
          Audit log
        </h2>
        {audit.items.length === 0 ? (
          <p className="text-sm text-muted">No admin change yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="admin-audit">
              <thead className="text-xs text-muted">
                <tr>
                  <th scope="col" className="py-1 pr-4 font-normal">
                    When (UTC)
                  </th>
                  <th scope="col" className="py-1 pr-4 font-normal">
                    Who
                  </th>
                  <th scope="col" className="py-1 pr-4 font-normal">
                    What
                  </th>
                  <th scope="col" className="py-1 font-normal">
                    Account
                  </th>
                </tr>
              </thead>
              <tbody>
                {audit.items.map((entry) => (
                  <tr key={entry.id} className="border-t border-border align-top">
                    <td className="py-1 pr-4 tabular-nums">{entry.created_at.slice(0, 19).replace("T", " ")}</td>
                    <td className="py-1 pr-4">{entry.actor_email}</td>
                    <th scope="row" className="py-1 pr-4 font-normal">
                      {entry.action} <code className="text-xs text-muted">{JSON.stringify(entry.details)}</code>
                    </th>
                    <td className="py-1">{entry.target_email ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
