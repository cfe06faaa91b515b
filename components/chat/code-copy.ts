"use client";

import { Check, Copy } from "lucide-react";

/**
 * The icons of a code block's Copy, streamed or stored: markdown.tsx gives Streamdown these, and the server draws
 * them in a stored reply's blocks (server-code-block.tsx), whose button shows the check while it is marked copied
 * (app/globals.css).
 */
export const COPY_ICONS = { CopyIcon: Copy, CheckIcon: Check };

/** How long the check shows, as Streamdown's own Copy does. */
const COPIED_MS = 2_000;

/**
 * Copy for a code block of a stored reply the server rendered (React does not hydrate it, so the button has no
 * handler of its own; markdown.tsx calls this for its clicks): the code's text to the clipboard, then the check and
 * "Copied" for screen readers for a moment, as Streamdown's Copy does. The body has one element per line and no
 * line breaks between them; an empty line holds a lone "\n".
 */
export function copyServerCode(button: HTMLElement): void {
  const code = button.closest("[data-streamdown='code-block']")?.querySelector("[data-streamdown='code-block-body'] code");
  if (!code || button.dataset.copied !== undefined) return;
  const text = Array.from(code.children, (line) => (line.textContent === "\n" ? "" : line.textContent)).join("\n");
  navigator.clipboard?.writeText(text).then(
    () => {
      button.dataset.copied = "";
      const status = document.createElement("output");
      status.setAttribute("aria-live", "polite");
      status.className = "sr-only";
      status.textContent = "Copied";
      button.after(status);
      setTimeout(() => {
        delete button.dataset.copied;
        status.remove();
      }, COPIED_MS);
    },
    // Refused (no permission, an insecure page): nothing was copied, so nothing says it was.
    () => {},
  );
}
