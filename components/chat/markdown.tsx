"use client";

import { lazy, memo, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ComponentProps } from "react";
import { MARKDOWN_CONTROLS } from "@/lib/chat/ui/code-blocks";
import { COPY_ICONS, copyServerCode } from "./code-copy";
import { lazyPlugin } from "./use-lazy-plugin";
import { useFocusableCodeBlocks } from "./use-focusable-code";
import { useCodePlugin, useMathPlugin } from "./use-streamdown-plugins";

type StreamdownComponent = typeof import("streamdown").Streamdown;

let streamdown: Promise<StreamdownComponent> | undefined;
/**
 * The Markdown renderer (Streamdown with remark/rehype, ~145 KiB compressed): one import for the page. Called before
 * it is needed where that is known (a send, a page of older messages), so those rows rarely show their raw text.
 * A failed load is forgotten, so the next call tries again.
 */
export function preloadMarkdown(): Promise<StreamdownComponent> {
  streamdown ??= import("streamdown").then(
    (module) => module.Streamdown,
    (error: unknown) => {
      streamdown = undefined;
      throw error;
    },
  );
  return streamdown;
}

// The server renders every reply through Streamdown, its code blocks highlighted there (server-code-block.tsx, a
// module only the server loads). React.lazy, with no Suspense boundary around it: the page's HTML waits for the
// chunk and the highlighter, so it arrives rendered; a boundary would let the server stream a fallback that a script
// replaces later, possibly after hydration has kept the fallback's nodes. The client asks for Streamdown through a
// hook instead, which answers at once once the chunk is there: a row that mounts later (windowing) shows no
// fallback for a tick, as a fresh React.lazy would.
const ServerStreamdown = lazy(() =>
  Promise.all([preloadMarkdown(), import("./server-code-block")]).then(([Streamdown, { serverComponents }]) => ({
    default: function ServerStreamdown(props: ComponentProps<StreamdownComponent>) {
      return <Streamdown {...props} components={serverComponents} />;
    },
  })),
);
const useStreamdown = lazyPlugin(preloadMarkdown);

/**
 * The nodes the server rendered for a stored reply, by message id and text: a row that the window removes and
 * brings back gets them again (moved, not re-parsed: no HTML string goes through innerHTML) instead of loading
 * Streamdown to render them anew.
 */
const serverNodes = new Map<string, Node[]>();

/**
 * What makes a server-rendered reply need Streamdown on the client: its controls (table buttons, links behind
 * Streamdown's link-safety dialog, image downloads), and a code block the server could not highlight. A highlighted
 * block's Copy is done here (code-copy.ts).
 */
const NEEDS_CLIENT =
  "a, button:not([data-streamdown='code-block-copy-button']), input, select, table, img, [data-streamdown='code-block']:not([data-highlighted])";

const noSubscription = () => () => {};
const EMPTY_HTML = { __html: "" };

export interface MarkdownProps {
  /** The message's id: with the text, what identifies the server's rendering of it. */
  id: string;
  markdown: string;
  streaming: boolean;
  /** The reply has a formula: KaTeX renders it, on the client only. */
  math: boolean;
  /** The reply has a fenced code block: highlighted by the server for a stored reply, else by shiki on the client. */
  code: boolean;
}

/**
 * A reply's Markdown. A stored reply that the server rendered keeps the server's HTML on the client: hydration leaves
 * it as it is (an element with `dangerouslySetInnerHTML` has no children for React to hydrate), so the chat page
 * neither ships nor runs the Markdown renderer for its history (#16: a 300-message chat loaded 423 KiB of JS and
 * hydrated 50 Streamdown trees). Streamdown takes over such a reply only when it must: its text changes (a reply
 * still being written), it has a formula (KaTeX) or it has controls (NEEDS_CLIENT); until its chunk (and the
 * highlighter, for a reply with code) is there the server's HTML stays. Its code blocks come highlighted from the
 * server, so neither Streamdown nor shiki loads for them. Rows rendered on the client only (a new reply, older
 * pages) use Streamdown, showing the raw text until it has loaded.
 *
 * Memoised: the rest of the item re-renders when the chat's state changes (the reattach on opening makes it busy
 * for a moment); unchanged props leave this be.
 */
export const Markdown = memo(function Markdown({ id, markdown, streaming, math, code }: MarkdownProps) {
  const ref = useRef<HTMLDivElement>(null);
  useFocusableCodeBlocks(ref);
  const key = `${id}\n${markdown}`;
  // True while hydrating (and on the server): the server's HTML is in the DOM. A row mounted later is false.
  const hydrating = useSyncExternalStore(
    noSubscription,
    () => false,
    () => true,
  );
  // Fixed at mount: the text whose server rendering this row shows, if it does.
  const [serverKey] = useState(() => (hydrating || serverNodes.has(key) ? key : undefined));
  const [hasControls, setHasControls] = useState(false);
  const fromServer = serverKey !== undefined;
  const needsClient = !fromServer || serverKey !== key || streaming || math || hasControls;
  const Live = useStreamdown(needsClient);
  const mathPlugin = useMathPlugin(math);
  const codePlugin = useCodePlugin(code && needsClient);
  const plugins = useMemo(
    () => ({ ...(codePlugin && { code: codePlugin }), ...(mathPlugin && { math: mathPlugin }) }),
    [codePlugin, mathPlugin],
  );
  // The server's highlighted code stays until Streamdown can highlight it too.
  const showServer = fromServer && !(needsClient && Live && (codePlugin || !code));

  useLayoutEffect(() => {
    const element = ref.current;
    if (!serverKey || !element) return;
    if (!showServer) {
      // Streamdown has taken over: a later mount of this row renders with it at once.
      serverNodes.delete(serverKey);
      return;
    }
    const held = serverNodes.get(serverKey);
    if (held) element.replaceChildren(...held);
    else serverNodes.set(serverKey, Array.from(element.childNodes));
    // Read from the DOM the server made: what Streamdown rendered, not a guess from the text.
    if (element.querySelector(NEEDS_CLIENT)) setHasControls(true);
  }, [showServer, serverKey]);

  const className = "chat-markdown text-sm leading-relaxed break-words";
  const fallback = <p className="whitespace-pre-wrap">{markdown}</p>;
  if (typeof window === "undefined") {
    return (
      <div ref={ref} className={className}>
        <ServerStreamdown isAnimating={streaming} plugins={plugins} controls={MARKDOWN_CONTROLS} icons={COPY_ICONS}>
          {markdown}
        </ServerStreamdown>
      </div>
    );
  }
  // The server's nodes: an element with inner HTML has no children for React to hydrate, compare or remove. When
  // Streamdown takes over, React empties the element before rendering into it.
  if (showServer) {
    return (
      <div
        ref={ref}
        className={className}
        dangerouslySetInnerHTML={EMPTY_HTML}
        suppressHydrationWarning
        onClickCapture={(event) => {
          if (!(event.target instanceof Element)) return;
          const copy = event.target.closest<HTMLElement>("[data-streamdown='code-block-copy-button']");
          if (copy) copyServerCode(copy);
          // A link waits for Streamdown (on its way: NEEDS_CLIENT), whose link-safety prompt comes before leaving.
          else if (event.target.closest("a")) event.preventDefault();
        }}
      />
    );
  }
  return (
    <div ref={ref} className={className}>
      {Live ? (
        <Live isAnimating={streaming} plugins={plugins} controls={MARKDOWN_CONTROLS} icons={COPY_ICONS}>
          {markdown}
        </Live>
      ) : (
        fallback
      )}
    </div>
  );
});
