import "server-only";
import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { chatSessions } from "@/lib/db/schema";

/**
 * The memory state of a session. The summary is replaced only by compare-and-set on the sequence number it
 * covers, so two jobs (two tabs, two instances) can never overwrite each other or skip a message.
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

/** Stores a new summary if the stored one still covers `expectedThroughSeq`; false when another job won. */
export async function commitSummary(
  ownerId: string,
  sessionId: string,
  expectedThroughSeq: number,
  next: { summary: string; throughSeq: number; addedMessages: number },
): Promise<boolean> {
  const db = await getDb();
  const updated = await db
    .update(chatSessions)
    .set({
      summary: next.summary,
      summaryThroughSeq: next.throughSeq,
      summaryCoveredMessages: sql`${chatSessions.summaryCoveredMessages} + ${next.addedMessages}`,
      summaryUpdatedAt: new Date(),
      summaryError: null,
      summaryFailures: 0,
      summaryRetryAt: null,
    })
    .where(
      and(
        eq(chatSessions.id, sessionId),
        eq(chatSessions.ownerId, ownerId),
        eq(chatSessions.summaryThroughSeq, expectedThroughSeq),
      ),
    )
    .returning({ id: chatSessions.id });
  return updated.length > 0;
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
