"use client";

import { useId, useState, type ReactNode } from "react";
import { cn } from "@/lib/utils/cn";

/**
 * A short text with its explanation, shown on hover and on keyboard focus (a `title` tooltip never reaches
 * keyboard or touch users): the trigger is a button, the explanation its accessible description. Escape hides
 * it again without moving focus (WCAG 1.4.13: additional content must be dismissible).
 */
export function Hint({
  explanation,
  children,
  className,
  testId,
}: {
  explanation: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  const [dismissed, setDismissed] = useState(false);
  return (
    <span className="group/hint relative inline-flex" onMouseLeave={() => setDismissed(false)}>
      <button
        type="button"
        aria-describedby={id}
        data-testid={testId}
        className={cn("cursor-help text-left", className)}
        onBlur={() => setDismissed(false)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && !dismissed) {
            event.stopPropagation();
            setDismissed(true);
          }
        }}
      >
        {children}
      </button>
      <span
        role="tooltip"
        id={id}
        className={cn(
          "pointer-events-none absolute top-full left-0 z-50 mt-1 hidden w-64 max-w-[calc(100vw-2rem)] rounded-md border border-border bg-bg px-3 py-2 text-xs font-normal text-fg shadow-lg",
          !dismissed && "group-hover/hint:block group-focus-within/hint:block",
        )}
      >
        {explanation}
      </span>
    </span>
  );
}
