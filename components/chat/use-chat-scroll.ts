import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { anchoredScrollTop, isNearBottom } from "./scroll-math";

/** Loading older messages starts this close to the top, so they are usually there before the reader arrives. */
const LOAD_OLDER_AT_PX = 400;

/**
 * The message list's scrolling: it sticks to the bottom while the reader is there (new text, code blocks that grow
 * after render) and keeps their place when older messages arrive above. `messages` and `status` are what changes
 * the content; `scrollerRef` goes on the scrolling element, `contentRef` on the list inside it.
 */
export function useChatScroll(messages: unknown, status: unknown) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const anchor = useRef<{ scrollTop: number; scrollHeight: number } | null>(null);
  const [atBottom, setAtBottom] = useState(true);

  const scrollToBottom = useCallback((smooth = false) => {
    const el = scrollerRef.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? "smooth" : "auto" });
  }, []);

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    if (anchor.current) {
      el.scrollTop = anchoredScrollTop(anchor.current, el.scrollHeight);
      anchor.current = null;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, status]);

  useEffect(() => {
    // Markdown and code blocks can grow after render (fonts, lazy parts): follow them while sticking.
    const list = contentRef.current;
    if (!list || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stick.current && !anchor.current) scrollToBottom();
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  /** The scroller's onScroll; answers whether the reader is near the top (time to load older messages). */
  function onScroll(): boolean {
    const el = scrollerRef.current;
    if (!el) return false;
    const near = isNearBottom(el);
    stick.current = near;
    if (near !== atBottom) setAtBottom(near);
    return el.scrollTop < LOAD_OLDER_AT_PX;
  }

  /** From now on the list follows new content (a send, a retry). */
  function follow() {
    stick.current = true;
    setAtBottom(true);
  }

  /** Call before older messages are put above: the next layout keeps the reader's place. */
  const keepPlace = useCallback(() => {
    const el = scrollerRef.current;
    if (el) anchor.current = { scrollTop: el.scrollTop, scrollHeight: el.scrollHeight };
  }, []);

  /** Shows one message (a search result) instead of the newest: the list stops following the bottom. */
  const reveal = useCallback((item: HTMLElement) => {
    stick.current = false;
    setAtBottom(false);
    item.scrollIntoView({ block: "center" });
  }, []);

  function jumpToLatest() {
    follow();
    scrollToBottom(true);
  }

  return { scrollerRef, contentRef, atBottom, onScroll, follow, keepPlace, jumpToLatest, reveal };
}
