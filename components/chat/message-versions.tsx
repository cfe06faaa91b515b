"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";

export interface VersionsProps {
  /** 1-based: the version shown. */
  index: number;
  count: number;
  onSelect: (index: number) => void;
}

/** `‹ n/m ›` on a message with more than one version (an edit, a regenerated reply): walks between them. */
export function MessageVersions({ index, count, onSelect }: VersionsProps) {
  const button =
    "inline-flex h-6 w-6 items-center justify-center rounded hover:bg-surface-2 hover:text-fg disabled:opacity-40 disabled:hover:bg-transparent";
  return (
    <span className="inline-flex items-center gap-0.5 text-xs text-muted tabular-nums" data-testid="message-versions">
      <button
        type="button"
        className={button}
        aria-label="Previous version"
        disabled={index <= 1}
        onClick={() => onSelect(index - 1)}
      >
        <ChevronLeft aria-hidden className="h-3.5 w-3.5" />
      </button>
      <span aria-label={`Version ${index} of ${count}`} role="status">
        {index}/{count}
      </span>
      <button
        type="button"
        className={button}
        aria-label="Next version"
        disabled={index >= count}
        onClick={() => onSelect(index + 1)}
      >
        <ChevronRight aria-hidden className="h-3.5 w-3.5" />
      </button>
    </span>
  );
}
