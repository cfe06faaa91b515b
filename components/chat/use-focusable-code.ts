"use client";

import { useEffect, type RefObject } from "react";
import { codeBlockLabel } from "@/lib/chat/ui/code-blocks";

const BODY = '[data-streamdown="code-block-body"]';

/**
 * Streamdown's code blocks scroll sideways but cannot take focus, so a keyboard user cannot scroll them (WCAG
 * 2.1.1, axe "scrollable-region-focusable"), and Streamdown offers no prop for it. Each block body gets
 * tabindex=0 and a name, also when a streaming reply adds or re-renders blocks. A stored reply's blocks come from the
 * server with both already (components/chat/server-code-block.tsx).
 */
export function useFocusableCodeBlocks(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const mark = () => {
      for (const body of root.querySelectorAll<HTMLElement>(`${BODY}:not([tabindex])`)) {
        body.tabIndex = 0;
        body.setAttribute("role", "group");
        body.setAttribute("aria-label", codeBlockLabel(body.dataset.language));
      }
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [container]);
}
