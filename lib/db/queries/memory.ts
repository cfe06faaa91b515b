import "server-only";
import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { chatSessions, messageSummaries } from "@/lib/db/schema";
import { onActivePath, type PathContext } from "./messages";

/**
 * The memory state of a session. Every summary is kept in message_summaries, keyed by the last message it
 * covers (a prefix of one path): two jobs (two tabs, two instances) making the same one store it once. The
 * session's summary columns show the one in use on the active path; they move only forward along that path
 * (compare-and-set on the sequence number), or with the path itself (moveActiveLeafIn, setSummaryInUse).
 */

export interface MemoryState {
  summary: string | null;
  throughSeq: number;
  coveredMessages: number;
}

/**
 * Takes a short lease on summarizing the session, if no other job holds one and no back-off is in force.
 * The lease only saves duplicate work; correctness comes from the compare-and-set in `commitSummary`.
 */
export async function claimSummaryLease(ownerId: string, sessionId: string, leaseMs: number): Promise<MemoryState | undefined> {
  const db = await getDb();
  const [row] = await db
    .update(chatSessions)
    .set({ summaryStatus: "pending", summaryLeaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(
      and(
        eq(chatSessions.id, sessionId),
        eq(chatSessions.ownerId, ownerId),
        or(isNull(chatSessions.summaryLeaseUntil), lt(chatSessions.summaryLeaseUntil, sql`now()`)),
        or(isNull(chatSessions.summaryRetryAt), lte(chatSessions.summaryRetryAt, sql`now()`)),
      ),
    )
    .returning({
      summary: chatSessions.summary,
      throughSeq: chatSessions.summaryThroughSeq,
      coveredMessages: chatSessions.summaryCoveredMessages,
    });
  return row;
}

/**
 * Stores a summary of the path's prefix ending at `throughMessageId` and, when that message is on the chat's
 * active path and beyond the summary in use, makes it the one in use. False when another job stored a summary
 * of this same prefix first.
 */
export async function commitSummary(
  ownerId: string,
  sessionId: string,
  next: { summary: string; throughMessageId: string; throughSeq: number; coveredMessages: number },
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const stored = await tx
      .insert(messageSummaries)
      .values({
        throughMessageId: next.throughMessageId,
        ownerId,
        sessionId,
        summary: next.summary,
        throughSeq: next.throughSeq,
        coveredMessages: next.coveredMessages,
      })
      .onConflictDoNothing()
      .returning({ id: messageSummaries.throughMessageId });
    if (stored.length === 0) return false;
    await tx
      .update(chatSessions)
      .set({
        summary: next.summary,
        summaryThroughSeq: next.throughSeq,
        summaryCoveredMessages: next.coveredMessages,
        summaryUpdatedAt: new Date(),
        summaryError: null,
        summaryFailures: 0,
        summaryRetryAt: null,
      })
      .where(
        and(
          eq(chatSessions.id, sessionId),
          eq(chatSessions.ownerId, ownerId),
          lt(chatSessions.summaryThroughSeq, next.throughSeq),
          onActivePath(ownerId, sql`${sessionId}::uuid`, sql`${next.throughMessageId}::uuid`, sql`${next.throughSeq}`),
        ),
      );
    return true;
  });
}

/** The summary in use becomes `summary` (a path's deepest; null: none): the chat moved to that path. */
export async function setSummaryInUse(ownerId: string, sessionId: string, summary: PathContext["summary"]): Promise<void> {
  const db = await getDb();
  await db
    .update(chatSessions)
    .set({
      summary: summary?.text ?? null,
      summaryThroughSeq: summary?.throughSeq ?? 0,
      summaryCoveredMessages: summary?.coveredMessages ?? 0,
    })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)));
}

/** Ends a job: frees the lease and sets the status from what is stored (a summary or none). */
export async function releaseSummaryLease(ownerId: string, sessionId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(chatSessions)
    .set({
      summaryLeaseUntil: null,
      summaryStatus: sql`case when ${chatSessions.summaryFailures} > 0 then 'failed' when ${chatSessions.summary} is null then 'none' else 'ready' end`,
    })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)));
}

/** Records a failed attempt: the previous summary stays; the next try waits `retryInMs`. */
export async function recordSummaryFailure(ownerId: string, sessionId: string, error: string, retryInMs: number): Promise<void> {
  const db = await getDb();
  await db
    .update(chatSessions)
    .set({
      summaryStatus: "failed",
      summaryError: error,
      summaryFailures: sql`${chatSessions.summaryFailures} + 1`,
      summaryRetryAt: sql`now() + ${`${retryInMs} milliseconds`}::interval`,
      summaryLeaseUntil: null,
    })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)));
}
