"use client";

import { useEffect, useRef } from "react";

/**
 * A <details> menu that behaves like one: Escape or a click outside closes it and puts focus back on its <summary>
 * (the native element only toggles on its summary). Listeners exist only while it is open. Escape is marked
 * handled (`preventDefault`), so the screen's shortcuts (Escape stops a reply) leave it to the menu.
 */
export function useDetailsDismiss<T extends HTMLDetailsElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    let cleanup: (() => void) | undefined;
    const close = (refocus: boolean) => {
      details.open = false;
      if (refocus) details.querySelector("summary")?.focus();
    };
    const onToggle = () => {
      cleanup?.();
      cleanup = undefined;
      if (!details.open) return;
      const onKey = (event: KeyboardEvent) => {
        if (event.key !== "Escape" || event.defaultPrevented) return;
        event.preventDefault();
        close(true);
      };
      const onPointer = (event: PointerEvent) => {
        if (!details.contains(event.target as Node)) close(false);
      };
      // Capture: before the screen's own listeners see the Escape.
      document.addEventListener("keydown", onKey, true);
      document.addEventListener("pointerdown", onPointer);
      cleanup = () => {
        document.removeEventListener("keydown", onKey, true);
        document.removeEventListener("pointerdown", onPointer);
      };
    };
    details.addEventListener("toggle", onToggle);
    return () => {
      details.removeEventListener("toggle", onToggle);
      cleanup?.();
    };
  }, []);
  return ref;
}
