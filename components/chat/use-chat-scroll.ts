import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { distanceFromBottom, isNearBottom } from "./scroll-math";
import type { MessageWindowHandle } from "./use-message-window";

/** Loading older messages starts this close to the top, so they are usually there before the reader arrives. */
const LOAD_OLDER_AT_PX = 400;
/** A scroll this soon after the reader's wheel, touch, key or press is theirs (smooth scrolls last about this). */
const GESTURE_MS = 1_000;
/** How long after the content changed a scroll without a gesture is taken as the page's own adjustment. */
const CHANGE_MS = 300;

/**
 * The message list's scrolling: it sticks to the bottom while the reader is there (new text, code blocks that grow
 * after render). `messages`, `status` and `memory` (the divider row) are what changes the content; `scrollerRef`
 * goes on the scrolling element, `contentRef` on the list inside it, `windowRef` to the list's windowing
 * (use-message-window.ts), which keeps the reader's place when older messages arrive above and can scroll to rows
 * that are not rendered.
 */
export function useChatScroll(messages: unknown, status: unknown, memory?: unknown) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLOListElement>(null);
  const windowRef = useRef<MessageWindowHandle>(null);
  const stick = useRef(true);
  // The scroller's scrollTop at the last scroll event: only a move up is the reader leaving the bottom.
  const lastTop = useRef(0);
  // When the reader last did something that scrolls (wheel, touch, a key, a press on the scrollbar), and when the
  // content last changed. A move up right after a content change without a gesture is the page's own doing (the
  // windowed list keeping a row in place as rows come and go, e.g. the memory divider as a reply ends), not the
  // reader leaving the bottom. Any other scroll (find in page, a screen reader, a script) counts as the reader's.
  const lastGesture = useRef(0);
  const lastChange = useRef(0);
  const [atBottom, setAtBottom] = useState(true);

  useEffect(() => {
    const mark = (event: Event) => {
      // Typing in a field (the composer's Enter that sends, above all) scrolls nothing: counting it would take the
      // page's own adjustment just after a send (a reply ending, the memory divider) for the reader leaving.
      if (event.type === "keydown" && isEditable(event.target)) return;
      lastGesture.current = performance.now();
    };
    const events = ["wheel", "touchmove", "keydown", "pointerdown"] as const;
    for (const type of events) document.addEventListener(type, mark, { capture: true, passive: true });
    return () => {
      for (const type of events) document.removeEventListener(type, mark, { capture: true });
    };
  }, []);

  const scrollToBottom = useCallback(() => {
    const el = scrollerRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  useLayoutEffect(() => {
    lastChange.current = performance.now();
    // The server's page lays the scroller out bottom-up, so it opens at the newest messages before this script runs
    // (globals.css, .chat-scroller); from here on it is an ordinary scroller, which the window's arithmetic expects.
    // Set on the element, outside React's props: a re-render leaves it.
    const el = scrollerRef.current;
    if (el && !("ready" in el.dataset)) el.dataset.ready = "";
    if (stick.current) scrollToBottom();
  }, [messages, status, memory, scrollToBottom]);

  useEffect(() => {
    // Markdown and code blocks can grow after render (fonts, lazy parts), and rows scrolled into view for the first
    // time get their real height: follow them while sticking.
    const list = contentRef.current;
    if (!list || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stick.current) scrollToBottom();
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  /** The scroller's onScroll; answers whether the reader is near the top (time to load older messages). */
  function onScroll(): boolean {
    const el = scrollerRef.current;
    if (!el) return false;
    const near = isNearBottom(el);
    const movedUp = el.scrollTop < lastTop.current;
    lastTop.current = el.scrollTop;
    // Content can grow past the threshold between a scroll to the bottom and its scroll event (a reply's footer and
    // the memory divider arriving with the same render): that is no reader leaving, and the list's ResizeObserver,
    // which runs after this event, follows the growth if the list still sticks.
    if (stick.current && !near && !movedUp) return el.scrollTop < LOAD_OLDER_AT_PX;
    const now = performance.now();
    if (stick.current && !near && now - lastChange.current < CHANGE_MS && now - lastGesture.current > GESTURE_MS) {
      scrollToBottom();
      return false;
    }
    stick.current = near;
    if (near !== atBottom) setAtBottom(near);
    return el.scrollTop < LOAD_OLDER_AT_PX;
  }

  /** From now on the list follows new content (a send, a retry). */
  function follow() {
    stick.current = true;
    setAtBottom(true);
  }

  /** Shows one message (a search result) instead of the newest: the list stops following the bottom. */
  const reveal = useCallback((messageId: string) => {
    stick.current = false;
    setAtBottom(false);
    const item = contentRef.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (item) item.scrollIntoView({ block: "center" });
    else windowRef.current?.scrollToRow(messageId);
  }, []);

  function jumpToLatest() {
    follow();
    const el = scrollerRef.current;
    // Smooth only over a short way: rows never rendered have estimated heights that change as the scroll passes.
    const near = !el || distanceFromBottom(el) < 2 * el.clientHeight;
    if (windowRef.current) windowRef.current.scrollToEnd(near);
    else scrollToBottom();
  }

  return { scrollerRef, contentRef, windowRef, atBottom, onScroll, follow, jumpToLatest, reveal };
}

/** A text field or other editable element, where keys edit rather than scroll. */
function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLInputElement ||
      target instanceof HTMLSelectElement)
  );
}
