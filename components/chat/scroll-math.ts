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
