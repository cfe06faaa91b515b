"use client";

import type { Route } from "next";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { Loader2, Search } from "lucide-react";
import { Dialog } from "@/components/ui/dialog";
import { fieldClass } from "@/components/ui/input";
import { cn } from "@/lib/utils/cn";
import { SEARCH_MAX_LENGTH } from "@/lib/search/terms";
import type { SearchResultView } from "@/lib/search/views";
import { useModifierKey } from "@/components/shortcuts/modifier-key";

/** Typing pauses this long before a search is sent: one request per word, not per key. */
const DEBOUNCE_MS = 200;
const RESULT_LIMIT = 20;

/** The last answer and the query it answers: while it is not the current query's, a search is under way. */
type Answer = { q: string; results: SearchResultView[] } | { q: string; failed: true };

/** Where a result leads: its chat, scrolled to the matching message (`?m=`, the chat page reads it). */
export function resultHref(result: Pick<SearchResultView, "project_id" | "session_id" | "message_id">): Route {
  const chat = `/projects/${result.project_id}/chats/${result.session_id}`;
  return (result.message_id ? `${chat}?m=${result.message_id}` : chat) as Route;
}

/** Text with its matched words as <mark> elements: the ranges come from the server, the text is never markup. */
export function HighlightedText({ text, ranges }: { text: string; ranges: Array<[number, number]> }) {
  const pieces: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end > text.length || end <= start) continue;
    if (start > at) pieces.push(text.slice(at, start));
    pieces.push(
      <mark key={start} className="rounded-sm bg-accent/20 px-0.5 text-fg">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return <>{pieces}</>;
}

/**
 * "Search chats": the sidebar's button and Ctrl/⌘+K open a dialog that searches titles and messages of every
 * project (GET /api/v1/search, the session cookie authenticates it) as the user types. Arrows move through
 * the results, Enter opens one, Escape closes and focus goes back where it was (the native <dialog> does it).
 */
export function SearchChats({ className, onNavigate }: { className?: string; onNavigate?: () => void }) {
  const modifier = useModifierKey();
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Where focus was before opening: it goes back there on close (not every browser's <dialog> does it).
  const returnTo = useRef<HTMLElement | null>(null);

  function show() {
    if (document.activeElement instanceof HTMLElement) returnTo.current = document.activeElement;
    setOpen(true);
  }

  function close() {
    setOpen(false);
    const target = returnTo.current;
    returnTo.current = null;
    if (target?.isConnected) queueMicrotask(() => target.focus());
  }

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        if (document.activeElement instanceof HTMLElement && !document.querySelector("dialog[open]"))
          returnTo.current = document.activeElement;
        setOpen(true);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-keyshortcuts="Control+K Meta+K"
        className={cn(
          "flex w-full items-center gap-2 rounded-md border border-border bg-bg px-2.5 py-1.5 text-sm text-muted hover:text-fg",
          className,
        )}
      >
        <Search aria-hidden className="h-4 w-4 shrink-0" />
        <span className="flex-1 text-left">Search chats</span>
        <kbd className="rounded border border-border px-1 text-xs" aria-hidden>
          {modifier} K
        </kbd>
      </button>
      <Dialog open={open} onClose={close} title="Search chats" className="mt-[10dvh] self-start" initialFocus={input}>
        <SearchPanel
          input={input}
          onDone={() => {
            close();
            onNavigate?.();
          }}
        />
      </Dialog>
    </>
  );
}

/** The dialog's content: mounted while it is open, so every opening starts empty. */
function SearchPanel({ input, onDone }: { input: RefObject<HTMLInputElement | null>; onDone: () => void }) {
  const router = useRouter();
  const listId = useId();
  const [q, setQ] = useState("");
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [active, setActive] = useState(0);
  const empty = q.trim() === "";

  useEffect(() => {
    if (empty) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const params = new URLSearchParams({ q, limit: String(RESULT_LIMIT) });
        const response = await fetch(`/api/v1/search?${params}`, { signal: controller.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        setAnswer({ q, results: (await response.json()) as SearchResultView[] });
        setActive(0);
      } catch {
        if (!controller.signal.aborted) setAnswer({ q, failed: true });
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, empty]);

  const loading = !empty && answer?.q !== q;
  const failed = !empty && !loading && answer !== null && "failed" in answer;
  // While the next answer is on its way, the previous results stay (no flicker between keystrokes).
  const results = !empty && answer && "results" in answer ? answer.results : [];
  const done = !empty && !loading && !failed;

  function open(result: SearchResultView) {
    onDone();
    router.push(resultHref(result));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = results[active];
      if (chosen) open(chosen);
    }
  }

  const optionId = (i: number) => `${listId}-option-${i}`;
  return (
    <div className="flex flex-col gap-3">
      <div className="relative">
        <input
          ref={input}
          type="search"
          role="combobox"
          aria-label="Search titles and messages of all your chats"
          aria-expanded={results.length > 0}
          aria-controls={listId}
          aria-activedescendant={results.length > 0 ? optionId(active) : undefined}
          aria-autocomplete="list"
          maxLength={SEARCH_MAX_LENGTH}
          placeholder='Words, "a phrase", -exclude'
          value={q}
          onChange={(event) => setQ(event.target.value)}
          onKeyDown={onKeyDown}
          className={cn(fieldClass, "h-10 pr-9")}
        />
        {loading && <Loader2 aria-hidden className="absolute top-3 right-3 h-4 w-4 animate-spin text-muted" />}
      </div>
      <p role="status" className="sr-only">
        {done ? `${results.length} chats found` : failed ? "Search failed" : ""}
      </p>
      {failed && <p className="text-sm text-danger">Search failed. Try again in a moment.</p>}
      {done && results.length === 0 && <p className="text-sm text-muted">No chats match.</p>}
      <ul id={listId} role="listbox" aria-label="Matching chats" className="flex flex-col gap-1">
        {results.map((result, i) => (
          <li
            key={`${result.session_id}:${result.message_id ?? ""}`}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            onMouseEnter={() => setActive(i)}
            onClick={() => open(result)}
            className={cn("cursor-pointer rounded-md px-3 py-2", i === active ? "bg-surface-2" : "hover:bg-surface")}
          >
            <p className="truncate text-sm font-medium">
              <HighlightedText text={result.title} ranges={result.title_highlights} />
            </p>
            {result.message_id && (
              <p className="mt-0.5 line-clamp-2 text-sm break-words text-muted">
                <HighlightedText text={result.snippet} ranges={result.highlights} />
              </p>
            )}
            <p className="mt-0.5 text-xs text-muted">
              <time dateTime={result.created_at}>{new Date(result.created_at).toLocaleString()}</time>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
