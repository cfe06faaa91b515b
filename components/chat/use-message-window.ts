"use client";

import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useState, type Ref, type RefObject } from "react";
import { useVirtualizer, type VirtualItem } from "@tanstack/react-virtual";
import type { MessageRow } from "./message-rows";

/** A row's height before it was ever rendered: a short message and its footer. Measured rows use their own. */
const ESTIMATED_ROW_PX = 96;
/** The list's `gap-5` (1.25rem) between rows: the windowing adds it between row positions. */
export const ROW_GAP_PX = 20;
/**
 * Rows rendered beyond each edge of the viewport. Enough that Tab (which scrolls the focused control into view,
 * and so moves the window) always finds the next row's controls in the DOM, and that fast scrolling shows rows.
 */
const OVERSCAN_ROWS = 8;
const NO_MEASUREMENTS: VirtualItem[] = [];

/** What the scrolling hook (use-chat-scroll.ts) asks of the window. */
export interface MessageWindowHandle {
  /** Scrolls the row of this key (a message id), which may not be in the DOM, into the middle of the view. */
  scrollToRow(key: string): void;
  /** Scrolls to the newest row; `smooth` only when it is near (a long smooth scroll over unmeasured rows misses). */
  scrollToEnd(smooth: boolean): void;
}

export interface MessageWindow {
  /** The rows to render now, each with its index among all rows, in order. */
  rendered: { row: MessageRow; index: number }[];
  /** Padding above and below the rendered rows: the rows that are not in the DOM. */
  paddingTop: number;
  paddingBottom: number;
}

/**
 * Windowing of the message list (#16): only the rows near the viewport are in the DOM, so a 2,000-message chat
 * stays light. @tanstack/react-virtual does the arithmetic that is hard to get right by hand: per-row measured
 * heights (Markdown, code blocks, streaming growth) through a ResizeObserver, keeping the reader's place when
 * older messages arrive above (`anchorTo: "end"` anchors on the first visible row when the first or last key
 * changes), and scrolling to a row whose height is not known yet.
 *
 * The rows keep their own `<li>` markup (MessageItem, MemoryDivider): the window sets `data-index` (how the
 * virtualizer maps an element to its row) and `aria-posinset`/`aria-setsize` on them after render instead of
 * wrapping them, since a wrapper would break the `<ol>`'s list semantics. The rows not rendered are the list's
 * padding, so the rendered ones stay in normal flow (the list's flex gap between them).
 *
 * The first render is the whole loaded page, as the server rendered it (50 messages, or through a search result),
 * so hydration matches and the first paint has the messages; right after it every row is measured in place and
 * the window takes over with those exact heights: nothing moves on screen.
 */
export function useMessageWindow(
  rows: MessageRow[],
  /** False while older messages may exist: the list's size is then unknown to assistive technology. */
  complete: boolean,
  scrollerRef: RefObject<HTMLDivElement | null>,
  listRef: RefObject<HTMLOListElement | null>,
  handleRef: Ref<MessageWindowHandle> | undefined,
): MessageWindow {
  // The rows' heights and the viewport's, measured on the first render; null until then (the window is off).
  const [measured, setMeasured] = useState<{ rows: VirtualItem[]; viewport: number } | null>(null);
  // Where the list starts in the scroller's content (the notices and "Load older messages" above it).
  const [scrollMargin, setScrollMargin] = useState(0);
  const getItemKey = useCallback((index: number) => rows[index]?.key ?? index, [rows]);
  // The React Compiler is not on (next.config.ts): nothing memoizes this hook's results, which the rule warns about.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey,
    gap: ROW_GAP_PX,
    overscan: OVERSCAN_ROWS,
    scrollMargin,
    enabled: measured !== null,
    initialMeasurementsCache: measured?.rows ?? NO_MEASUREMENTS,
    // Until its ResizeObserver reports, the virtualizer would take the viewport for 0 px tall and render nothing.
    initialRect: { width: 0, height: measured?.viewport ?? 0 },
    // The window starts where the first render left the scroller (at the bottom, or at a search result).
    initialOffset: () => scrollerRef.current?.scrollTop ?? 0,
    anchorTo: "end",
  });

  useImperativeHandle(
    handleRef,
    () => ({
      scrollToRow: (key) => {
        const index = rows.findIndex((row) => row.key === key);
        if (index >= 0) virtualizer.scrollToIndex(index, { align: "center" });
      },
      scrollToEnd: (smooth) => virtualizer.scrollToEnd({ behavior: smooth ? "smooth" : "auto" }),
    }),
    [virtualizer, rows],
  );

  const items = measured ? virtualizer.getVirtualItems() : null;
  const rendered = items
    ? items.map((item) => ({ row: rows[item.index]!, index: item.index }))
    : rows.map((row, index) => ({ row, index }));
  const first = items?.[0];
  const last = items?.at(-1);
  const paddingTop = first ? first.start - scrollMargin : 0;
  const paddingBottom = last ? Math.max(0, virtualizer.getTotalSize() - (last.end - scrollMargin)) : 0;

  // After every render: tell the rendered <li>s their row (and their place in the list, for screen readers), and
  // have the virtualizer measure and observe the ones new to it. `rendered` is new on every render, so this runs
  // after each commit.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const elements = list.children;
    rendered.forEach(({ index }, i) => {
      const element = elements[i];
      if (!(element instanceof HTMLElement)) return;
      element.setAttribute("aria-posinset", String(index + 1));
      element.setAttribute("aria-setsize", complete ? String(rows.length) : "-1");
      if (measured && element.dataset.index !== String(index)) {
        element.dataset.index = String(index);
        virtualizer.measureElement(element);
      }
    });
    if (!measured) return;
    virtualizer.measureElement(null);
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const margin = list.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    if (Math.abs(margin - scrollMargin) > 0.5) setScrollMargin(margin);
  }, [listRef, scrollerRef, rendered, measured, virtualizer, scrollMargin, complete, rows.length]);

  // Once, after the first commit: measure the server's rows where they are and let the window take over. A passive
  // effect, not a layout one: after hydration it runs in a task of its own, so hydrating the page and windowing it
  // are two shorter tasks instead of one long one (#16: the page's Total Blocking Time), and the scroller, an
  // ancestor whose ref React attaches after this component's layout effects, is there. Nothing moves in between:
  // the window starts with the rows' measured heights, from where the scroller is (use-chat-scroll.ts has put it
  // at the bottom, or at a search result).
  useEffect(() => {
    const list = listRef.current;
    const scroller = scrollerRef.current;
    if (measured || !list || !scroller) return;
    // One layout, then reads only: every height comes from the same pass.
    const top = scroller.getBoundingClientRect().top;
    setScrollMargin(list.getBoundingClientRect().top - top + scroller.scrollTop);
    const elements = list.children;
    setMeasured({
      rows: rendered.map(({ row, index }, i) => {
        const size = elements[i]?.getBoundingClientRect().height ?? ESTIMATED_ROW_PX;
        return { key: row.key, index, start: 0, end: size, size, lane: 0 };
      }),
      viewport: scroller.clientHeight,
    });
  }, [listRef, scrollerRef, rendered, measured]);

  return { rendered, paddingTop, paddingBottom };
}
