/**
 * Scroll arithmetic for the message list, kept pure so it can be tested without a browser.
 */

/** Within this many pixels of the bottom counts as "at the bottom" (sub-pixel rounding, a partly hidden line). */
export const BOTTOM_THRESHOLD_PX = 64;

export interface ScrollMetrics {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

export function distanceFromBottom(m: ScrollMetrics): number {
  return Math.max(0, m.scrollHeight - m.clientHeight - m.scrollTop);
}

export function isNearBottom(m: ScrollMetrics, threshold = BOTTOM_THRESHOLD_PX): boolean {
  return distanceFromBottom(m) <= threshold;
}

/**
 * Where to scroll after older messages were inserted above, so the message the reader was looking at stays put:
 * the content grew by (after - before) above the viewport.
 */
export function anchoredScrollTop(before: Pick<ScrollMetrics, "scrollTop" | "scrollHeight">, scrollHeightAfter: number): number {
  return Math.max(0, before.scrollTop + (scrollHeightAfter - before.scrollHeight));
}
