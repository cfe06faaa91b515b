import type { ChatSessionRow } from "@/lib/db/schema";

/** A session's memory as the REST API and the UI show it. */
export interface MemoryStateView {
  summary: string | null;
  covers_through: number;
  covered_messages: number;
  status: "none" | "pending" | "ready" | "failed";
  updated_at: string | null;
  last_error: string | null;
}

export function memoryStateOf(session: ChatSessionRow, now = new Date()): MemoryStateView {
  // A lease that ran out means the job died: show the stored state, not an endless "pending".
  const pending = session.summaryStatus === "pending" && session.summaryLeaseUntil !== null && session.summaryLeaseUntil > now;
  const status = session.summaryStatus === "pending" && !pending ? (session.summary ? "ready" : "none") : session.summaryStatus;
  return {
    summary: session.summary,
    covers_through: session.summaryThroughSeq,
    covered_messages: session.summaryCoveredMessages,
    status,
    updated_at: session.summaryUpdatedAt?.toISOString() ?? null,
    last_error: session.summaryError,
  };
}
