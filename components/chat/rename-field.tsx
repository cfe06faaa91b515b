"use client";

import { useRef, useState } from "react";

/** The sidebar's inline title editor: Enter or leaving the field saves, Escape cancels. */
export function RenameField({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  /** `byKey`: Enter ended it (focus should go back to the row), not leaving the field (focus is already elsewhere). */
  onSave: (value: string, byKey: boolean) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const done = useRef(false);
  return (
    <input
      autoFocus
      aria-label="Chat title"
      maxLength={100}
      value={value}
      onChange={(event) => setValue(event.target.value)}
      onFocus={(event) => event.currentTarget.select()}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          done.current = true;
          onSave(value, true);
        } else if (event.key === "Escape") {
          // Escape here must not also close the drawer.
          event.preventDefault();
          event.stopPropagation();
          event.nativeEvent.stopImmediatePropagation();
          done.current = true;
          onCancel();
        }
      }}
      onBlur={() => {
        if (!done.current) onSave(value, false);
      }}
      className="m-0.5 h-8 min-w-0 flex-1 rounded border border-accent bg-bg px-2 text-sm"
    />
  );
}
