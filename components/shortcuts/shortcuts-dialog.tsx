"use client";

import { Dialog } from "@/components/ui/dialog";
import { SHORTCUTS } from "./keys";
import { shownKey, useModifierKey } from "./modifier-key";

/** The `?` dialog: every shortcut of the chat screen, search's Ctrl/⌘+K among them. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const modifier = useModifierKey();
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <dl className="grid grid-cols-[1fr_auto] gap-x-6 gap-y-2 text-sm" data-testid="shortcut-list">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.id} className="contents">
            <dt>{shortcut.label}</dt>
            <dd className="flex justify-end gap-1">
              {shortcut.keys.map((key) => (
                <kbd key={key} className="rounded border border-border bg-surface-2 px-1.5 py-0.5 font-mono text-xs">
                  {shownKey(key, modifier)}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
