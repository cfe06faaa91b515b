/**
 * TeX in replies. Models write math with four delimiters: `$…$` and `$$…$$` (what remark-math parses), and
 * `\(…\)` and `\[…\]` (LaTeX's own, common in OpenAI-style models), which remark-math does not know. This
 * rewrites a reply so that remark-math sees every formula and nothing else:
 *  - `\(x\)` → `$x$`, `\[x\]` → a `$$` block;
 *  - a single `$` counts only as pandoc would have it (opening `$` followed by a non-space, closing `$` preceded
 *    by a non-space and not followed by a digit), so "it costs $5 and $10" stays prose: every other `$` is
 *    escaped (`\$`);
 *  - code (fenced blocks and inline spans) is left untouched.
 * `containsMath` decides whether the KaTeX renderer is loaded at all (it is large; most replies have no math).
 */

export const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Splits text into code and prose pieces; prose gets `rewrite`, code is kept as it is. */
function mapProse(text: string, rewrite: (prose: string) => string): string {
  const out: string[] = [];
  let prose: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (prose.length > 0) out.push(rewriteOutsideInlineCode(prose.join("\n"), rewrite));
    prose = [];
  };
  for (const line of text.split("\n")) {
    const open = FENCE.exec(line);
    if (fence === null && open?.[1]) {
      flush();
      fence = open[1];
      out.push(line);
    } else if (fence !== null) {
      out.push(line);
      const close = FENCE.exec(line);
      if (close?.[1] && close[1][0] === fence[0] && close[1].length >= fence.length && line.trim() === close[1]) fence = null;
    } else {
      prose.push(line);
    }
  }
  flush();
  return out.join("\n");
}

/** Inline code spans (`…`, ``…``) are kept; the text between them is rewritten. */
function rewriteOutsideInlineCode(text: string, rewrite: (prose: string) => string): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(/(`+)[\s\S]*?[^`]\1(?!`)/g)) {
    result += rewrite(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return result + rewrite(text.slice(last));
}

function rewriteProse(prose: string): string {
  const latex = prose
    .replace(/\\\[([\s\S]+?)\\\]/g, (_, tex: string) => `\n$$\n${tex.trim()}\n$$\n`)
    .replace(/\\\(([\s\S]+?)\\\)/g, (_, tex: string) => `$${tex.trim()}$`);
  return escapeStrayDollars(latex);
}

/** Keeps `$$` and pandoc-valid `$…$` pairs (within one paragraph); escapes every other `$`. */
function escapeStrayDollars(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch !== "$") {
      out += ch;
      i++;
      continue;
    }
    if (text[i + 1] === "$") {
      const end = text.indexOf("$$", i + 2);
      if (end !== -1) {
        out += text.slice(i, end + 2);
        i = end + 2;
      } else {
        out += "\\$\\$";
        i += 2;
      }
      continue;
    }
    const close = closingDollar(text, i);
    if (close === -1) {
      out += "\\$";
      i++;
    } else {
      out += text.slice(i, close + 1);
      i = close + 1;
    }
  }
  return out;
}

function closingDollar(text: string, open: number): number {
  const first = text[open + 1];
  if (first === undefined) return -1;
  if (/\s/.test(first)) return -1;
  for (let j = open + 1; j < text.length; j++) {
    const ch = text[j];
    // A backslash escapes the next character, but not a line break: a backslash there is a hard break, and the
    // line break after it still counts towards the blank line that ends the paragraph.
    if (ch === "\\" && text[j + 1] !== "\n") {
      j++;
      continue;
    }
    if (ch === "\n" && text[j + 1] === "\n") return -1; // a formula does not cross paragraphs
    if (ch === "$") {
      // Stryker disable next-line StringLiteral: equivalent (j - 1 >= open is always in range; no fallback string holds a digit)
      if (/\s/.test(text[j - 1] ?? " ") || /\d/.test(text[j + 1] ?? "")) continue;
      // Never the character after the opening `$`: a `$` there made it `$$`, handled by the caller.
      return j;
    }
  }
  return -1;
}

export function normalizeMath(text: string): string {
  if (!/[$\\]/.test(text)) return text;
  return mapProse(text, rewriteProse);
}

/** Whether a (normalized) reply has a formula: an unescaped `$` outside code. */
export function containsMath(normalized: string): boolean {
  if (!normalized.includes("$")) return false;
  let found = false;
  mapProse(normalized, (prose) => {
    if (/(^|[^\\])\$/.test(prose)) found = true;
    return prose;
  });
  return found;
}
