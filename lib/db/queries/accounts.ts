import "server-only";
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/lib/db/client";
import { accounts, usageEvents, type AccountRole, type AccountRow, type AccountStatus } from "@/lib/db/schema";
import { escapeLike } from "./projects";
import { normalizeDecimal } from "./usage";

/**
 * Accounts (lib/db/schema.ts `accounts`): Parley's record of each user's role, status and budget. Admin reads
 * go through here and never touch a user's chats: the admin API reports usage figures only.
 */

export interface NewAccount {
  userId: string;
  email: string;
  fullName: string;
  role: AccountRole;
  status: AccountStatus;
}

export async function insertAccountIn(executor: Database | Transaction, account: NewAccount): Promise<void> {
  await executor.insert(accounts).values(account).onConflictDoNothing({ target: accounts.userId });
}

export async function getAccount(userId: string): Promise<AccountRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(accounts).where(eq(accounts.userId, userId)).limit(1);
  return row;
}

/** The account's row, made with `account`'s values if it has none yet (first sighting): one round trip either way. */
export async function getOrInsertAccount(account: NewAccount): Promise<AccountRow> {
  const db = await getDb();
  const [inserted] = await db.insert(accounts).values(account).onConflictDoNothing({ target: accounts.userId }).returning();
  if (inserted) return inserted;
  const found = await getAccount(account.userId);
  if (!found) throw new Error("an account row vanished between its insert and its read");
  return found;
}

export interface AccountChange {
  role?: AccountRole;
  status?: AccountStatus;
  /** null removes the limit. */
  monthlyCostLimit?: string | null;
  monthlyTokenLimit?: number | null;
}

export async function updateAccountIn(tx: Transaction, userId: string, change: AccountChange): Promise<AccountRow | undefined> {
  const [row] = await tx
    .update(accounts)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(accounts.userId, userId))
    .returning();
  return row;
}

export async function deleteAccountRow(userId: string): Promise<void> {
  const db = await getDb();
  await db.delete(accounts).where(eq(accounts.userId, userId));
}

/** The first instant of the current calendar month in UTC: budgets count from there. */
const monthStart = sql`(date_trunc('month', now() at time zone 'UTC') at time zone 'UTC')`;

/**
 * True unless the owner has a monthly budget that this month's usage has reached. A condition for the claim
 * statement itself (lib/db/queries/turns.ts), so checking the budget costs the send no round trip of its own:
 * for an owner without a limit, the sums are never computed (the EXISTS below is only reached for a row with a
 * limit); with one, they are an index range scan of this month's usage rows (usage_events_owner_created_idx).
 */
export function withinBudget(ownerId: string): SQL {
  return sql`not exists (
    select 1 from ${accounts}
     where accounts.user_id = ${ownerId}::uuid
       and (accounts.monthly_cost_limit is not null or accounts.monthly_token_limit is not null)
       and exists (
         select 1 from (
           select coalesce(sum(usage_events.cost), 0) as cost,
                  coalesce(sum(coalesce(usage_events.input_tokens, 0) + coalesce(usage_events.output_tokens, 0)), 0) as tokens
             from ${usageEvents}
            where usage_events.owner_id = accounts.user_id and usage_events.created_at >= ${monthStart}
              and not usage_events.billed_to_user_key
         ) as month
          where month.cost >= accounts.monthly_cost_limit or month.tokens >= accounts.monthly_token_limit))`;
}

export interface MonthUsage {
  cost: string;
  tokens: number;
}

/** This calendar month's usage (UTC) of one owner: what budgets compare with. */
export async function monthUsageOf(ownerId: string): Promise<MonthUsage> {
  const db = await getDb();
  const [row] = await db
    .select({
      cost: sql<string>`coalesce(sum(${usageEvents.cost}), 0)::text`,
      tokens: sql<string>`coalesce(sum(coalesce(${usageEvents.inputTokens}, 0) + coalesce(${usageEvents.outputTokens}, 0)), 0)::text`,
    })
    .from(usageEvents)
    .where(
      and(
        eq(usageEvents.ownerId, ownerId),
        sql`${usageEvents.createdAt} >= ${monthStart}`,
        eq(usageEvents.billedToUserKey, false),
      ),
    );
  return { cost: normalizeDecimal(row?.cost ?? "0"), tokens: Number(row?.tokens ?? 0) };
}

export type AccountWithUsage = AccountRow & { month: MonthUsage };

const monthSums = (what: "cost" | "tokens") =>
  sql<string>`(select ${
    what === "cost"
      ? sql`coalesce(sum(u.cost), 0)`
      : sql`coalesce(sum(coalesce(u.input_tokens, 0) + coalesce(u.output_tokens, 0)), 0)`
  }::text from ${usageEvents} as u where u.owner_id = ${accounts.userId} and u.created_at >= ${monthStart} and not u.billed_to_user_key)`;

/** Accounts newest first, filtered by email or name (case-insensitive substring), each with this month's usage. */
export async function listAccounts({ q, limit }: { q?: string; limit: number }): Promise<AccountWithUsage[]> {
  const db = await getDb();
  const pattern = q ? `%${escapeLike(q.toLowerCase())}%` : undefined;
  const rows = await db
    .select({ account: accounts, monthCost: monthSums("cost"), monthTokens: monthSums("tokens") })
    .from(accounts)
    .where(pattern ? sql`lower(${accounts.email}) like ${pattern} or lower(${accounts.fullName}) like ${pattern}` : undefined)
    .orderBy(desc(accounts.createdAt), desc(accounts.userId))
    .limit(limit);
  return rows.map(withMonth);
}

/** One account with this month's usage. */
export async function getAccountWithUsage(userId: string): Promise<AccountWithUsage | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ account: accounts, monthCost: monthSums("cost"), monthTokens: monthSums("tokens") })
    .from(accounts)
    .where(eq(accounts.userId, userId))
    .limit(1);
  return row && withMonth(row);
}

function withMonth(row: { account: AccountRow; monthCost: string; monthTokens: string }): AccountWithUsage {
  return { ...row.account, month: { cost: normalizeDecimal(row.monthCost), tokens: Number(row.monthTokens) } };
}
