"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

export interface MessageEditorProps {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/**
 * A user message being edited, in place: Save & send makes it a new version (a new branch from there; the old one
 * stays), Cancel or Escape leaves it as it was. Ctrl/⌘+Enter saves, as the composer's shortcut would.
 */
export function MessageEditor({ initial, onSave, onCancel }: MessageEditorProps) {
  const [text, setText] = useState(initial);
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const element = area.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);
  const usable = text.trim() !== "";
  return (
    <form
      className="flex w-full max-w-[85%] flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (usable) onSave(text);
      }}
    >
      <label className="sr-only" htmlFor={id}>
        Edit your message
      </label>
      <textarea
        id={id}
        ref={area}
        value={text}
        rows={Math.min(10, Math.max(2, text.split("\n").length))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            // The chat screen's own Escape (Stop) must not also run.
            event.stopPropagation();
            onCancel();
          } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && usable) {
            event.preventDefault();
            onSave(text);
          }
        }}
        className="w-full rounded-xl border border-border bg-bg px-3 py-2 text-sm"
      />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={!usable}>
          Save &amp; send
        </Button>
      </div>
    </form>
  );
}
