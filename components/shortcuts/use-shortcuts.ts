"use client";

import { useEffect, useRef, useSyncExternalStore } from "react";
import { isTypingTarget, matchShortcut, type ShortcutId } from "./keys";

export type ShortcutHandlers = Record<ShortcutId, () => void>;

/**
 * The chat screen's one keydown listener. Handlers are read through a ref, so the listener is added once per
 * screen, not on every render. A key a modal dialog is open for, or that another element already handled
 * (`defaultPrevented`: the rename field's Escape, a menu's), is left alone.
 */
export function useShortcuts(handlers: ShortcutHandlers, streaming: boolean) {
  const current = useRef({ handlers, streaming });
  useEffect(() => {
    current.current = { handlers, streaming };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      if (document.querySelector("dialog[open]")) return;
      const id = matchShortcut(event, { typing: isTypingTarget(event.target), streaming: current.current.streaming });
      if (!id) return;
      event.preventDefault();
      current.current.handlers[id]();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

/**
 * Touch device: the primary pointer is a finger (`pointer: coarse`), so text comes from an on-screen keyboard with
 * no Shift+Enter habit. The primary pointer, not `any-pointer`: a laptop with a touch screen has a real keyboard
 * and keeps the desktop rule. False on the server and in the first render (hydration matches), then the truth.
 */
export function useTouchInput(): boolean {
  return useSyncExternalStore(
    subscribeCoarse,
    () => window.matchMedia(COARSE).matches,
    () => false,
  );
}

const COARSE = "(pointer: coarse)";

function subscribeCoarse(onChange: () => void) {
  const query = window.matchMedia(COARSE);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
