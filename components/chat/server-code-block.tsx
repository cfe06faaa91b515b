"use client";

import { use, type ComponentProps, type CSSProperties } from "react";
import {
  CodeBlockContainer,
  CodeBlockCopyButton,
  CodeBlockHeader,
  defaultComponents,
  useIsCodeFenceIncomplete,
  type Components,
  type ExtraProps,
  type HighlightResult,
  type HighlightToken,
  type BundledLanguage,
  type CodeHighlighterPlugin,
  type ThemeInput,
} from "streamdown";
import { code as streamdownCode } from "@streamdown/code";
import { codeBlockLabel } from "@/lib/chat/ui/code-blocks";
import { COPY_ICONS } from "./code-copy";

/*
 * A stored reply's code blocks, highlighted by the server (#16): Streamdown highlights in an effect, so its server
 * HTML has plain text, and a stored reply with code used to load Streamdown, shiki, its engine, the grammar and two
 * themes on the client (515.9 KiB of JS on first load instead of 274.3). This module is imported only by the server
 * branch of markdown.tsx (no browser ever fetches its chunk). It asks the same highlighter Streamdown uses
 * (@streamdown/code: the same grammars, themes and token colours) and writes the markup Streamdown's code block
 * writes once highlighted, so a reply looks the same streamed and reloaded. The colours are CSS variables in style
 * attributes, light and dark both (`--sdm-c`, `--shiki-dark`), as Streamdown sets them; the CSP's style-src allows
 * style attributes, which React and Streamdown set anyway.
 */

/** Streamdown's defaults: its `shikiTheme` and `codeBlockMaxHeight` (markdown.tsx sets neither). */
const THEMES: [ThemeInput, ThemeInput] = ["github-light", "github-dark"];
const MAX_HEIGHT = "400px";
/** A highlighter that has not answered by then (it logs its errors and never calls back): the block stays plain. */
const HIGHLIGHT_TIMEOUT_MS = 5_000;
/** Highlights kept for a re-render of the same block (React renders again once a suspended promise settles). */
const KEPT = 200;

const LANGUAGE = /language-([^\s]+)/;
const START_LINE = /startLine=(\d+)/;
const NO_LINE_NUMBERS = /\bnoLineNumbers\b/;

/** Streamdown's highlighter, seen through the plugin type Streamdown declares (its own names shiki's types). */
const highlighter: CodeHighlighterPlugin = streamdownCode;

const highlights = new Map<string, Promise<HighlightResult | null>>();

/**
 * The highlight of `code`: at once when the highlighter has it cached, else waited for with `use`. The page's HTML
 * waits for it (markdown.tsx puts no Suspense boundary around the server's rendering), so the reply arrives
 * highlighted; the promise is kept for React's second render, which `use` then answers at once. `null`: not
 * highlighted (the client then highlights it with Streamdown). Shiki leaves the rest of a line uncoloured once it
 * has spent 500 ms on it (its tokenizeTimeLimit): on a very busy machine the first block of a language can come out
 * so, and stays so in the highlighter's cache until the process restarts, as it does in a browser until a reload.
 */
function useHighlight(code: string, language: string): HighlightResult | null {
  const key = `${language}\n${code}`;
  let highlight = highlights.get(key);
  if (!highlight) {
    let now: HighlightResult | null = null;
    highlight = new Promise<HighlightResult | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), HIGHLIGHT_TIMEOUT_MS);
      const done = (result: HighlightResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      // Any name: the highlighter maps aliases to its grammars and an unknown language to plain text.
      now = highlighter.highlight({ code, language: language as BundledLanguage, themes: THEMES }, done);
      if (now) done(now);
    });
    if (now) return now;
    highlights.set(key, highlight);
    if (highlights.size > KEPT) highlights.delete(highlights.keys().next().value!);
  }
  return use(highlight);
}

/**
 * A style as the browser keeps it when React sets it on the client, as it does for Streamdown's blocks: through the
 * CSSOM, which refuses a value holding a ";" and keeps the value it had.
 */
function asTheBrowserKeeps(style: Record<string, string>, before: Record<string, string> = {}): CSSProperties {
  const kept = { ...before };
  for (const [name, value] of Object.entries(style)) if (!value.includes(";")) kept[name] = value;
  return kept as CSSProperties;
}

/** Streamdown's `style` for a token: its colours as variables, which the classes apply per theme. */
function tokenStyle(token: HighlightToken): { style: Record<string, string>; hasBackground: boolean } {
  const style: Record<string, string> = {};
  let hasBackground = Boolean(token.bgColor);
  if (token.color) style["--sdm-c"] = token.color;
  if (token.bgColor) style["--sdm-tbg"] = token.bgColor;
  for (const [name, value] of Object.entries(token.htmlStyle ?? {})) {
    if (name === "color") style["--sdm-c"] = value;
    else if (name === "background-color") {
      style["--sdm-tbg"] = value;
      hasBackground = true;
    } else style[name] = value;
  }
  return { style, hasBackground };
}

/** Streamdown's `style` for the `<pre>`: the theme's background and text colour, and the root style. */
function preStyle(result: HighlightResult): Record<string, string> {
  const style: Record<string, string> = {};
  if (result.bg) style["--sdm-bg"] = result.bg;
  if (result.fg) style["--sdm-fg"] = result.fg;
  for (const declaration of result.rootStyle ? result.rootStyle.split(";") : []) {
    const colon = declaration.indexOf(":");
    const name = declaration.slice(0, colon).trim();
    const value = declaration.slice(colon + 1).trim();
    if (colon > 0 && name && value) style[name] = value;
  }
  return style;
}

/**
 * The `<pre>`'s style of the plain code, which Streamdown renders before its highlight arrives. Shiki's dual-theme
 * `bg` and `fg` hold the dark value after a ";" ("#fff;--shiki-dark-bg:#24292e"), which the browser refuses, so a
 * streamed block keeps these plain values; written into HTML, shiki's would become two declarations and colour the
 * stored block's `<pre>` as the streamed one is not.
 */
const PLAIN_PRE = { "--sdm-bg": "transparent", "--sdm-fg": "inherit" };

const LINE = "block";
const NUMBERED_LINE =
  "block before:content-[counter(line)] before:inline-block before:[counter-increment:line] before:w-6 before:mr-4 before:text-[13px] before:text-right before:text-muted-foreground/50 before:font-mono before:select-none";
const TOKEN = "text-[var(--sdm-c,inherit)] dark:text-[var(--shiki-dark,var(--sdm-c,inherit))]";
const TOKEN_BACKGROUND = "bg-[var(--sdm-tbg)] dark:bg-[var(--shiki-dark-bg,var(--sdm-tbg))]";

/** Streamdown's highlighted code body (its own is not exported), focusable and named as use-focusable-code.ts does. */
function CodeBody({
  className,
  language,
  result,
  lineNumbers,
  startLine,
}: {
  className: string | undefined;
  language: string;
  result: HighlightResult;
  lineNumbers: boolean;
  startLine: number | undefined;
}) {
  const numbered = lineNumbers && startLine && startLine > 1 ? { counterReset: `line ${startLine - 1}` } : undefined;
  return (
    <div
      className={[className, "overflow-y-auto overflow-x-auto rounded-md border border-border bg-background p-4 text-sm"]
        .filter(Boolean)
        .join(" ")}
      data-language={language}
      data-streamdown="code-block-body"
      style={{ maxHeight: MAX_HEIGHT }}
      tabIndex={0}
      role="group"
      aria-label={codeBlockLabel(language)}
    >
      <pre
        className={[className, "bg-[var(--sdm-bg,inherit)] dark:bg-[var(--shiki-dark-bg,var(--sdm-bg,inherit))]"]
          .filter(Boolean)
          .join(" ")}
        style={asTheBrowserKeeps(preStyle(result), PLAIN_PRE)}
      >
        <code className={lineNumbers ? "[counter-increment:line_0] [counter-reset:line]" : undefined} style={numbered}>
          {result.tokens.map((line, index) => (
            <span key={index} className={lineNumbers ? NUMBERED_LINE : LINE}>
              {line.length === 0 || (line.length === 1 && line[0]!.content === "")
                ? "\n"
                : line.map((token, at) => {
                    const { style, hasBackground } = tokenStyle(token);
                    return (
                      <span
                        key={at}
                        className={hasBackground ? `${TOKEN} ${TOKEN_BACKGROUND}` : TOKEN}
                        style={asTheBrowserKeeps(style)}
                      >
                        {token.content}
                      </span>
                    );
                  })}
            </span>
          ))}
        </code>
      </pre>
    </div>
  );
}

type CodeProps = ComponentProps<"code"> & ExtraProps & { "data-block"?: string };

/**
 * Streamdown's `code` for the server: inline code as Streamdown renders it, a fenced block highlighted. Streamdown
 * marks a fenced block's `<code>` with `data-block` (its `pre` component does) and gives the code as its text.
 */
function ServerCode(props: CodeProps) {
  const Default = defaultComponents.code;
  if (!("data-block" in props) || typeof props.children !== "string") return <Default {...props} />;
  return <HighlightedBlock {...props} code={props.children} />;
}

/** A fenced block, highlighted; Streamdown's own (plain, highlighted on the client) if the highlighter failed. */
function HighlightedBlock({ code, ...props }: CodeProps & { code: string }) {
  const { node, className } = props;
  const language = className?.match(LANGUAGE)?.[1] ?? "";
  const meta = typeof node?.properties?.metastring === "string" ? node.properties.metastring : "";
  const incomplete = useIsCodeFenceIncomplete();
  // Streamdown shows (and highlights) the code without its trailing newlines.
  const result = useHighlight(code.replace(/\n+$/, ""), language);
  if (!result) {
    const Default = defaultComponents.code;
    return <Default {...props} />;
  }
  const startLine = Number.parseInt(meta.match(START_LINE)?.[1] ?? "", 10);
  return (
    <CodeBlockContainer dir="ltr" isIncomplete={incomplete} language={language} data-highlighted="">
      <CodeBlockHeader language={language} />
      <div className="pointer-events-none absolute top-2 right-2 z-10 flex items-center">
        <div
          className="pointer-events-auto flex shrink-0 items-center gap-2 rounded-md border border-sidebar bg-sidebar/80 px-1.5 py-1 supports-[backdrop-filter]:bg-sidebar/70 supports-[backdrop-filter]:backdrop-blur"
          data-streamdown="code-block-actions"
        >
          <CodeBlockCopyButton code={code}>
            <COPY_ICONS.CopyIcon aria-hidden size={14} data-copy-icon="idle" />
            <COPY_ICONS.CheckIcon aria-hidden size={14} data-copy-icon="done" />
          </CodeBlockCopyButton>
        </div>
      </div>
      <CodeBody
        className={className}
        language={language}
        result={result}
        lineNumbers={!NO_LINE_NUMBERS.test(meta)}
        startLine={Number.isFinite(startLine) && startLine >= 1 ? startLine : undefined}
      />
    </CodeBlockContainer>
  );
}

export const serverComponents: Components = { code: ServerCode };
