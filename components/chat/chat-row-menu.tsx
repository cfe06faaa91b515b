"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Archive, Ellipsis, Pin, PinOff } from "lucide-react";

export interface ChatRowMenuProps {
  title: string;
  pinned: boolean;
  onPin: (pinned: boolean) => void;
  onArchive: () => void;
}

/**
 * A sidebar row's "more" menu (Pin/Unpin, Archive): a button that opens a small menu below it. Escape or a
 * click elsewhere closes it and focus returns to the button; arrow keys move between the items.
 */
export function ChatRowMenu({ title, pinned, onPin, onArchive }: ChatRowMenuProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  function choose(action: () => void) {
    setOpen(false);
    action();
  }

  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        onClick={() => setOpen((was) => !was)}
        aria-label={`More actions for chat ${title}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        className="inline-flex items-center justify-center rounded p-1 text-muted opacity-70 hover:bg-surface hover:text-fg focus-visible:opacity-100 aria-expanded:opacity-100 max-md:h-11 max-md:w-11 max-md:opacity-100 md:opacity-0 md:group-hover:opacity-100"
      >
        <Ellipsis aria-hidden className="h-3.5 w-3.5" />
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={`Actions for chat ${title}`}
          className="absolute right-0 top-full z-50 mt-1 w-36 rounded-md border border-border bg-bg py-1 text-sm shadow-md"
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              // Only the menu closes, not the drawer around it (nor a streaming reply: see use-shortcuts.ts).
              event.preventDefault();
              event.stopPropagation();
              close();
            } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();
              const items = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
              const at = items.indexOf(document.activeElement as HTMLElement);
              const next = items[(at + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length];
              next?.focus();
            }
          }}
        >
          <MenuItem onClick={() => choose(() => onPin(!pinned))}>
            {pinned ? <PinOff aria-hidden className="h-3.5 w-3.5" /> : <Pin aria-hidden className="h-3.5 w-3.5" />}
            {pinned ? "Unpin" : "Pin"}
          </MenuItem>
          <MenuItem onClick={() => choose(onArchive)}>
            <Archive aria-hidden className="h-3.5 w-3.5" />
            Archive
          </MenuItem>
        </div>
      )}
    </div>
  );
}

function MenuItem({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      onClick={onClick}
      className="flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-surface-2 focus:bg-surface-2 focus:outline-none max-md:min-h-11"
    >
      {children}
    </button>
  );
}
