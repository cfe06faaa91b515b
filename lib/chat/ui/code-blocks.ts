import { FENCE } from "./math";

const FENCE_LINE = new RegExp(FENCE.source, "m");

/**
 * Whether a reply has a fenced code block (``` or ~~~), open or closed: the code highlighter (@streamdown/code,
 * shiki and its grammars, over 100 KB compressed) is loaded only then, not with every chat page (#16). A fence
 * still streaming counts, so highlighting starts while the block is being written.
 */
export function containsCodeBlock(markdown: string): boolean {
  return (markdown.includes("```") || markdown.includes("~~~")) && FENCE_LINE.test(markdown);
}

/**
 * The accessible name of a code block's scrollable body ("Code, ts"): the server writes it into a stored reply's
 * HTML, the client sets it on the blocks Streamdown renders (components/chat/use-focusable-code.ts), the same name
 * both ways.
 */
export function codeBlockLabel(language: string | undefined): string {
  return language ? `Code, ${language}` : "Code";
}

/**
 * Streamdown's controls, the same for a streamed reply and a stored one the server rendered: a code block offers
 * Copy, which a stored reply's small click handler can do without Streamdown (components/chat/code-copy.ts). Its
 * Download is off: naming the file needs Streamdown's table of 300 languages' file extensions, which a stored
 * reply would then have to ship; Copy gives the same text.
 */
export const MARKDOWN_CONTROLS = { code: { copy: true, download: false } } as const;
