import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/lib/db/client";
import { adminAudit, type AdminAuditRow } from "@/lib/db/schema";

/** The admin audit log (not user data: one log for the whole deployment, read by admins only). */

export interface AuditEntry {
  actorId: string;
  actorEmail: string;
  action: string;
  targetId?: string | null;
  targetEmail?: string | null;
  details?: Record<string, unknown>;
}

/** In the change's own transaction: a change and its record commit together or not at all. */
export async function recordAuditIn(executor: Database | Transaction, entry: AuditEntry): Promise<void> {
  await executor.insert(adminAudit).values({ ...entry, details: entry.details ?? {} });
}

/** Newest first; `targetId` narrows to what was done to one account. */
export async function listAudit({ limit, targetId }: { limit: number; targetId?: string }): Promise<AdminAuditRow[]> {
  const db = await getDb();
  return db
    .select()
    .from(adminAudit)
    .where(targetId ? eq(adminAudit.targetId, targetId) : sql`true`)
    .orderBy(desc(adminAudit.createdAt), desc(adminAudit.id))
    .limit(limit);
}
