"use client";

import { BrainCircuit } from "lucide-react";
import { Hint } from "@/components/ui/hint";
import { contextExplanation, contextLabel, memoryExplanation, memoryLabel } from "@/lib/chat/ui/memory-words";

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

/**
 * What memory does and how full the model's context was on the last turn, in words (#16), each with its
 * explanation on hover and focus.
 */
export function MemoryStatus({ memory, contextWindow }: { memory: MemoryView; contextWindow?: number }) {
  const used = memory.lastInputTokens;
  return (
    <div className="flex items-center gap-3 text-xs text-muted">
      <Hint
        testId="memory-settings"
        explanation={memoryExplanation(memory.settings)}
        className="max-w-[14rem] rounded-md border border-border px-2 py-0.5 leading-tight hover:text-fg"
      >
        {memoryLabel(memory.settings)}
      </Hint>
      {memory.status === "pending" && (
        <span role="status" className="animate-pulse">
          Updating memory…
        </span>
      )}
      {memory.status === "failed" && (
        <Hint explanation="The last summary could not be made; it will be retried on a later turn.">Memory update failed</Hint>
      )}
      {used != null && contextWindow ? (
        <span className="flex flex-col items-start gap-0.5">
          <Hint
            testId="context-gauge"
            explanation={contextExplanation(used, contextWindow)}
            className="leading-tight hover:text-fg"
          >
            {contextLabel(used, contextWindow)}
          </Hint>
          <meter
            aria-label="Context used by the last turn"
            min={0}
            max={contextWindow}
            value={Math.min(used, contextWindow)}
            low={contextWindow * 0.5}
            high={contextWindow * 0.8}
            optimum={0}
            className="h-1.5 w-full"
          />
        </span>
      ) : null}
    </div>
  );
}
