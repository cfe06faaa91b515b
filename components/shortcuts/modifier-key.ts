"use client";

import { useSyncExternalStore } from "react";

/** The key that Parley's Ctrl/⌘ shortcuts take on this platform: ⌘ on Apple's, Ctrl elsewhere. */
export function modifierKeyFor(platform: string): "⌘" | "Ctrl" {
  return /Mac|iPhone|iPad|iPod/i.test(platform) ? "⌘" : "Ctrl";
}

/** Shown keys name the one modifier this platform uses ("Ctrl/⌘" in the shortcut list becomes "⌘" on a Mac). */
export function shownKey(key: string, modifier: "⌘" | "Ctrl"): string {
  return key === "Ctrl/⌘" ? modifier : key;
}

const never = () => () => {};
const platform = () => {
  // userAgentData is Chromium's; Safari and Firefox still fill navigator.platform.
  const data = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  return modifierKeyFor(data?.platform || navigator.platform || navigator.userAgent);
};

/**
 * The modifier to print in hints. The server cannot know the platform, so it renders "Ctrl"; React swaps in the
 * client's answer right after hydration without a mismatch warning (that is what the server snapshot is for).
 */
export function useModifierKey(): "⌘" | "Ctrl" {
  return useSyncExternalStore(never, platform, () => "Ctrl");
}
