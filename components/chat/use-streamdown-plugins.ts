"use client";

import { lazyPlugin } from "./use-lazy-plugin";

/** Streamdown's KaTeX plugin, for a reply with a formula (lib/chat/ui/math.ts `containsMath`). */
export const useMathPlugin = lazyPlugin(() => import("./math-plugin").then((module) => module.math));

/**
 * Streamdown's code highlighter (shiki), for a reply with a fenced code block (lib/chat/ui/code-blocks.ts) that the
 * client renders: the chat page's first load no longer carries it (#16), and a stored reply's blocks come
 * highlighted from the server (server-code-block.tsx).
 */
export const useCodePlugin = lazyPlugin(() => import("@streamdown/code").then((module) => module.code));
