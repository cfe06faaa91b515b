"use client";

import { useEffect, type RefObject } from "react";

const BODY = '[data-streamdown="code-block-body"]';

/**
 * Streamdown's code blocks scroll sideways but cannot take focus, so a keyboard user cannot scroll them (WCAG
 * 2.1.1, axe "scrollable-region-focusable"), and Streamdown offers no prop for it. Each block body gets
 * tabindex=0 and a name, also when a streaming reply adds or re-renders blocks.
 */
export function useFocusableCodeBlocks(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const mark = () => {
      for (const body of root.querySelectorAll<HTMLElement>(`${BODY}:not([tabindex])`)) {
        const language = body.dataset.language;
        body.tabIndex = 0;
        body.setAttribute("role", "group");
        body.setAttribute("aria-label", language ? `Code, ${language}` : "Code");
      }
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [container]);
}
