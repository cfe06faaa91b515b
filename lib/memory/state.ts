import { z } from "zod";
import type { ChatSessionRow } from "@/lib/db/schema";

/** A session's memory as the REST API and the UI show it (also its OpenAPI schema). */
export const memoryStateSchema = z.object({
  summary: z.string().nullable(),
  covers_through: z.number().int().describe("Sequence number of the last message the summary covers (0: none)"),
  covered_messages: z.number().int(),
  status: z.enum(["none", "pending", "ready", "failed"]),
  updated_at: z.iso.datetime().nullable(),
  last_error: z.string().nullable(),
});

export type MemoryStateView = z.infer<typeof memoryStateSchema>;

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
