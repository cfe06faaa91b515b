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
