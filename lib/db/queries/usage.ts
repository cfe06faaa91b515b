import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { chatSessions, projects, usageEvents, type UsageKind } from "@/lib/db/schema";

/**
 * Usage accounting: one row per model call (usage_events). Every statement filters on owner_id. Totals are
 * summed in SQL over `numeric` and read back as strings, so a cost is exact however many calls it adds up
 * (a JS float sum of 0.1 + 0.2 is not 0.3); tokens are summed as bigint and read back as numbers.
 */

export interface UsageRecord {
  kind: UsageKind;
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  /** USD as an exact decimal string, or null when the provider reported no cost. */
  cost: string | null;
  /** Made with the user's own OpenRouter key (paid by them, not the team). */
  billedToUserKey: boolean;
}

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  /** Exact decimal string ("0" when nothing cost anything). */
  cost: string;
  calls: number;
}

/** Inside the reply's own transaction (messages.ts): the project is already known, no extra round trip. */
export async function insertUsageIn(
  tx: Transaction,
  ownerId: string,
  sessionId: string,
  projectId: string,
  record: UsageRecord,
  createdAt: Date,
): Promise<void> {
  await tx.insert(usageEvents).values({ ownerId, sessionId, projectId, ...record, createdAt });
}

/**
 * A title or summary call: one INSERT … SELECT that finds the chat's project through the owner's own chat, so
 * a chat that is not the caller's (or was deleted meanwhile) records nothing. True when a row was written.
 */
export async function recordUsage(ownerId: string, sessionId: string, record: UsageRecord): Promise<boolean> {
  const db = await getDb();
  const result: unknown = await db.execute(sql`
    insert into ${usageEvents} (owner_id, session_id, project_id, kind, model, input_tokens, output_tokens, cost, billed_to_user_key)
    select ${chatSessions.ownerId}, ${chatSessions.id}, ${chatSessions.projectId}, ${record.kind}, ${record.model},
      ${record.inputTokens}::integer, ${record.outputTokens}::integer, ${record.cost}::numeric, ${record.billedToUserKey}::boolean
    from ${chatSessions}
    where ${chatSessions.id} = ${sessionId} and ${chatSessions.ownerId} = ${ownerId}
    returning id`);
  return rowsOf(result).length > 0;
}

const totalsColumns = {
  inputTokens: sql<string>`coalesce(sum(${usageEvents.inputTokens}), 0)::text`,
  outputTokens: sql<string>`coalesce(sum(${usageEvents.outputTokens}), 0)::text`,
  cost: sql<string>`coalesce(sum(${usageEvents.cost}), 0)::text`,
  calls: sql<string>`count(*)::text`,
};

type RawTotals = { inputTokens: string; outputTokens: string; cost: string; calls: string };

function totalsOf(row: RawTotals | undefined): UsageTotals {
  return {
    inputTokens: Number(row?.inputTokens ?? 0),
    outputTokens: Number(row?.outputTokens ?? 0),
    cost: normalizeDecimal(row?.cost ?? "0"),
    calls: Number(row?.calls ?? 0),
  };
}

/** The owner's usage linked to one chat or one project (`column` says which). */
async function usageTotalsBy(
  ownerId: string,
  column: typeof usageEvents.sessionId | typeof usageEvents.projectId,
  id: string,
): Promise<UsageTotals> {
  const db = await getDb();
  const [row] = await db
    .select(totalsColumns)
    .from(usageEvents)
    .where(and(eq(usageEvents.ownerId, ownerId), eq(column, id)));
  return totalsOf(row);
}

/** A chat's replies, title and summaries together. */
export const chatUsageTotals = (ownerId: string, sessionId: string): Promise<UsageTotals> =>
  usageTotalsBy(ownerId, usageEvents.sessionId, sessionId);

/** A project's, its deleted chats' included (listProjects reads the same sum inside its own statement). */
export const projectUsageTotals = (ownerId: string, projectId: string): Promise<UsageTotals> =>
  usageTotalsBy(ownerId, usageEvents.projectId, projectId);

export const usageGroupings = ["day", "model", "project"] as const;
export type UsageGrouping = (typeof usageGroupings)[number];

export interface UsageGroup extends UsageTotals {
  /** The day (YYYY-MM-DD, UTC), the model id, or the project id (null: projects deleted since). */
  key: string | null;
  /** The project's name when grouped by project; otherwise null. */
  label: string | null;
}

/**
 * One owner's usage in [from, to) grouped by UTC day, model or project. Days and models come out in their
 * natural order (oldest day first; the costliest model first); projects by cost too.
 */
export async function usageReport(ownerId: string, from: Date, to: Date, groupBy: UsageGrouping): Promise<UsageGroup[]> {
  const db = await getDb();
  const inRange = and(eq(usageEvents.ownerId, ownerId), gte(usageEvents.createdAt, from), lt(usageEvents.createdAt, to));
  if (groupBy === "project") {
    const rows = await db
      .select({ key: usageEvents.projectId, label: projects.name, ...totalsColumns })
      .from(usageEvents)
      // The join repeats the owner: a project id alone never names another user's project. Left: the usage of
      // deleted projects (project_id null) is one group of its own.
      .leftJoin(projects, and(eq(projects.id, usageEvents.projectId), eq(projects.ownerId, ownerId)))
      .where(inRange)
      .groupBy(usageEvents.projectId, projects.name)
      .orderBy(sql`sum(${usageEvents.cost}) desc nulls last`, usageEvents.projectId);
    return rows.map((r) => ({ key: r.key, label: r.label, ...totalsOf(r) }));
  }
  const key =
    groupBy === "day"
      ? sql<string>`to_char(${usageEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`
      : sql<string>`${usageEvents.model}`;
  const rows = await db
    .select({ key, ...totalsColumns })
    .from(usageEvents)
    .where(inRange)
    .groupBy(key)
    .orderBy(groupBy === "day" ? sql`1` : sql`sum(${usageEvents.cost}) desc nulls last, 1`);
  return rows.map((r) => ({ key: r.key, label: null, ...totalsOf(r) }));
}

/** The sum of the groups, for the page's and the API's totals line. */
export async function usageTotalsBetween(ownerId: string, from: Date, to: Date): Promise<UsageTotals> {
  const db = await getDb();
  const [row] = await db
    .select(totalsColumns)
    .from(usageEvents)
    .where(and(eq(usageEvents.ownerId, ownerId), gte(usageEvents.createdAt, from), lt(usageEvents.createdAt, to)));
  return totalsOf(row);
}

/** PostgreSQL prints numeric sums with the scale of their widest input ("0.000100000"): drop trailing zeros. */
export function normalizeDecimal(value: string): string {
  if (!value.includes(".")) return value;
  const trimmed = value.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "" || trimmed === "-0" ? "0" : trimmed;
}
