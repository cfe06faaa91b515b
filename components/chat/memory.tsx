"use client";

import { BrainCircuit } from "lucide-react";

/** The session's memory as the chat screen shows it (issue: memory, "Visible"). */
export interface MemoryView {
  summary: string | null;
  /** The last sequence number the summary covers; 0 = no summary yet. */
  throughSeq: number;
  coveredMessages: number;
  status: "none" | "pending" | "ready" | "failed";
  /** Input tokens of the last turn, as the provider reported them. */
  lastInputTokens: number | null;
  /** The project's memory settings in force (its own numbers, or the platform defaults). */
  settings: { enabled: boolean; threshold: number; keepRecent: number };
}

export function MemoryDivider({ memory }: { memory: MemoryView }) {
  const count = memory.coveredMessages;
  return (
    <li className="list-none" data-testid="memory-divider">
      <details className="group rounded-md text-xs text-muted">
        <summary className="flex cursor-pointer items-center gap-2 select-none">
          <span className="h-px flex-1 bg-border" aria-hidden />
          <BrainCircuit aria-hidden className="h-3.5 w-3.5" />
          <span>
            {count.toLocaleString("en-US")} earlier {count === 1 ? "message" : "messages"} summarized — view summary
          </span>
          <span className="h-px flex-1 bg-border" aria-hidden />
        </summary>
        <div className="mt-2 rounded-md border border-border bg-surface px-3 py-2 text-sm whitespace-pre-wrap text-fg">
          {memory.summary || "The summary is empty."}
        </div>
      </details>
    </li>
  );
}

function compact(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(n);
}

/** Input tokens of the last turn against the model's window, and a quiet note while memory is being updated. */
export function MemoryStatus({ memory, contextWindow }: { memory: MemoryView; contextWindow?: number }) {
  const used = memory.lastInputTokens;
  const { enabled, threshold, keepRecent } = memory.settings;
  return (
    <div className="flex items-center gap-2 text-xs text-muted">
      <span
        data-testid="memory-settings"
        className="rounded-full border border-border px-2 py-0.5"
        title={
          enabled
            ? `Older turns are summarized once ${threshold} messages beyond the latest ${keepRecent} are not yet covered; the latest ${keepRecent} are always sent word for word. Change this in the project's settings.`
            : "Memory is off for this project: the whole history is sent (the oldest turns are left out when it would not fit). Change this in the project's settings."
        }
      >
        {enabled ? `Memory on · N ${threshold} · K ${keepRecent}` : "Memory off"}
      </span>
      {memory.status === "pending" && (
        <span role="status" className="animate-pulse">
          Updating memory…
        </span>
      )}
      {memory.status === "failed" && (
        <span title="The last summary could not be made; it will be retried on a later turn.">Memory update failed</span>
      )}
      {used != null && contextWindow ? (
        <label
          className="flex items-center gap-1.5"
          title={`${used.toLocaleString("en-US")} of ${contextWindow.toLocaleString("en-US")} tokens in the last turn`}
        >
          <span className="sr-only">Context used by the last turn</span>
          <meter
            min={0}
            max={contextWindow}
            value={Math.min(used, contextWindow)}
            low={contextWindow * 0.5}
            high={contextWindow * 0.8}
            optimum={0}
            className="h-2 w-16"
          />
          <span aria-hidden>
            {compact(used)} / {compact(contextWindow)}
          </span>
        </label>
      ) : null}
    </div>
  );
}
