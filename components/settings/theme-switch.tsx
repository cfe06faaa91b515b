"use client";

import { useSyncExternalStore } from "react";
import { Monitor, Moon, Sun } from "lucide-react";
import { cn } from "@/lib/utils/cn";
import { readThemeChoice, storeThemeChoice, type ThemeChoice } from "@/lib/utils/theme";

const OPTIONS: { value: ThemeChoice; label: string; Icon: typeof Sun }[] = [
  { value: "light", label: "Light", Icon: Sun },
  { value: "dark", label: "Dark", Icon: Moon },
  { value: "system", label: "System", Icon: Monitor },
];

// The choice lives in localStorage: a tiny store so the radios follow it (also when another tab changes it).
const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => event.key === "parley-theme" && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** Settings → Appearance: Light, Dark or System, remembered in this browser. */
export function ThemeSwitch() {
  // The server cannot know the stored choice: it renders "system" and the browser corrects it on hydration.
  const choice = useSyncExternalStore(subscribe, readThemeChoice, () => "system" as const);
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-2 text-sm text-muted">Colour theme (remembered in this browser)</legend>
      <div className="inline-flex w-fit rounded-md border border-border bg-bg p-1">
        {OPTIONS.map(({ value, label, Icon }) => (
          <label
            key={value}
            className={cn(
              "inline-flex min-h-10 cursor-pointer items-center gap-2 rounded px-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent",
              choice === value ? "bg-accent text-accent-fg" : "text-fg hover:bg-surface-2",
            )}
          >
            <input
              type="radio"
              name="theme"
              value={value}
              checked={choice === value}
              onChange={() => {
                storeThemeChoice(value);
                for (const listener of listeners) listener();
              }}
              className="sr-only"
            />
            <Icon aria-hidden className="h-4 w-4" />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
