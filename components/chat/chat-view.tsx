"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useTransition, type RefObject } from "react";
import { ArrowDown, CircleAlert, Info, RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { markStopped, prependOlder, type ChatUIMessage, type StopResult } from "@/lib/chat/ui-messages";
import { changeModelAction, loadOlderMessagesAction } from "@/lib/chats/actions";
import { OFFLINE_MODEL_ID, type ModelOption } from "@/lib/chats/chat-data";
import { ChatHeader } from "./chat-header";
import { Composer, type ComposerHandle } from "./composer";
import { readChatError } from "./chat-errors";
import { MessageItem, type DisplayStatus } from "./message-item";
import { anchoredScrollTop, isNearBottom } from "./scroll-math";
import { MemoryDivider, MemoryStatus, type MemoryView } from "./memory";
import { memoryDividerIndex } from "./memory-divider";

export interface ChatViewProps {
  project: { id: string; name: string; systemPrompt: string };
  session: { id: string; title: string; model: string };
  memory: MemoryView;
  initialMessages: ChatUIMessage[];
  hasOlder: boolean;
  models: ModelOption[];
  menuButtonRef: RefObject<HTMLButtonElement | null>;
  drawerOpen: boolean;
  onOpenDrawer: () => void;
}

function newMessageId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // crypto.randomUUID exists only in secure contexts (HTTPS or localhost); a LAN address over HTTP lacks it.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Remembers when the server answered the latest send: from then on it holds the generation, so a Stop can reach
 * it (a Stop sent before would find nothing to stop, and the reply would run on unseen).
 */
class ResponseTracker {
  begun: Promise<unknown> = Promise.resolve();
  fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = fetch(input, init);
    this.begun = response.catch(() => undefined);
    return response;
  };
}

/** How long a stopped reply's stream may take to end after the server confirmed the Stop. */
const STREAM_END_GRACE_MS = 3_000;

/** Loading older messages starts this close to the top, so they are usually there before the reader arrives. */
const LOAD_OLDER_AT_PX = 400;

export function ChatView({ project, session, memory, initialMessages, hasOlder: initialHasOlder, models, menuButtonRef, drawerOpen, onOpenDrawer }: ChatViewProps) {
  const router = useRouter();
  const toast = useToast();
  const composer = useRef<ComposerHandle>(null);
  const [model, setModel] = useState(session.model);
  const [modelPending, startModelChange] = useTransition();
  const [hasOlder, setHasOlder] = useState(initialHasOlder);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [atBottom, setAtBottom] = useState(true);

  const tracker = useMemo(() => new ResponseTracker(), []);
  // Settles when the latest send or regenerate has been read to its end.
  const requestDone = useRef<Promise<unknown>>(Promise.resolve());
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: "/api/chat",
        // Only the new message travels: the server loads the history itself, from the database.
        prepareSendMessagesRequest: ({ id, messages, trigger }) => ({ body: { sessionId: id, message: messages.at(-1), trigger } }),
        fetch: tracker.fetch,
      }),
    [tracker],
  );

  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError } = useChat<ChatUIMessage>({
    id: session.id,
    messages: initialMessages,
    transport,
    // UUIDs, so the stored user message keeps the id the screen already shows (paging older messages uses it).
    generateId: newMessageId,
    onError: (err) => {
      const readable = readChatError(err);
      if (!readable?.refused) return;
      // Refused with 409 or 429: the server stored nothing, so the screen goes back to what it showed before
      // (the optimistic user message goes, a reply replaced by Retry returns) and a sent text returns to the box.
      const before = beforeSend.current;
      if (before) {
        setMessages(before.messages);
        if (before.text !== undefined) composer.current?.restore(before.text);
      }
      toast.show(readable.message, "error");
      // useChat sets its error status right after this callback returns: clear it once that has happened, so the
      // refused send is not also shown as a failure of the previous reply.
      setTimeout(clearError, 0);
    },
    // The sidebar order and title (and the context gauge) changed on the server.
    onFinish: () => router.refresh(),
  });

  // The error callback runs outside render: it reads the messages through these refs.
  const latestMessages = useRef(messages);
  const beforeSend = useRef<{ messages: ChatUIMessage[]; text?: string } | null>(null);
  useEffect(() => {
    latestMessages.current = messages;
  }, [messages]);

  // While a Stop is on its way the server still holds the chat: a send or Regenerate now would get a 409.
  const [stopping, setStopping] = useState(false);
  const busy = status === "submitted" || status === "streaming" || stopping;

  // A summary is made in the background after a reply: look again shortly so the note and divider catch up.
  useEffect(() => {
    if (memory.status !== "pending" || busy) return;
    const timer = setTimeout(() => router.refresh(), 5000);
    return () => clearTimeout(timer);
  }, [memory, busy, router]);
  const readable = readChatError(error);
  const modelNames = useMemo(() => new Map(models.map((m) => [m.id, m.name])), [models]);

  // ---- scrolling: stick to the bottom while the reader is there; keep their place when older pages arrive.
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const anchor = useRef<{ scrollTop: number; scrollHeight: number } | null>(null);

  const scrollToBottom = useCallback((smooth = false) => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? "smooth" : "auto" });
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (anchor.current) {
      el.scrollTop = anchoredScrollTop(anchor.current, el.scrollHeight);
      anchor.current = null;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, status]);

  useEffect(() => {
    // Markdown and code blocks can grow after render (fonts, lazy parts): follow them while sticking.
    const list = content.current;
    if (!list || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stick.current && !anchor.current) scrollToBottom();
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  const loadOlder = useCallback(async () => {
    const el = scroller.current;
    const first = messages[0];
    if (!hasOlder || loadingOlder || !first || !el) return;
    setLoadingOlder(true);
    const result = await loadOlderMessagesAction(session.id, first.id);
    setLoadingOlder(false);
    if (!result.ok) {
      toast.show(result.error, "error");
      return;
    }
    anchor.current = { scrollTop: el.scrollTop, scrollHeight: el.scrollHeight };
    setMessages((all) => prependOlder(result.data.messages, all));
    setHasOlder(result.data.hasMore);
  }, [hasOlder, loadingOlder, messages, session.id, setMessages, toast]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    const near = isNearBottom(el);
    stick.current = near;
    if (near !== atBottom) setAtBottom(near);
    if (el.scrollTop < LOAD_OLDER_AT_PX && hasOlder && !loadingOlder) void loadOlder();
  }

  // ---- actions
  function send(text: string) {
    if (busy) return;
    clearError();
    stick.current = true;
    setAtBottom(true);
    beforeSend.current = { messages: latestMessages.current, text };
    requestDone.current = sendMessage({ text });
  }

  function retry() {
    clearError();
    beforeSend.current = { messages: latestMessages.current };
    stick.current = true;
    requestDone.current = regenerate();
  }

  async function stopGenerating() {
    // The server stops the generation and stores what arrived as incomplete; its stream to us then ends by
    // itself, so reading it to the end shows exactly what was stored (what a reload would show). The stop route
    // answers once the reply is stored and the chat is free again.
    setStopping(true);
    await tracker.begun;
    const result = await fetch(`/api/chat/${session.id}/stop`, { method: "POST" })
      .then((response) => (response.ok ? (response.json() as Promise<StopResult>) : undefined))
      .catch(() => undefined);
    // Should the stream not end soon after (network trouble), the browser stops reading on its own.
    const ended = await Promise.race([requestDone.current.then(() => true, () => true), new Promise<boolean>((resolve) => setTimeout(resolve, STREAM_END_GRACE_MS, false))]);
    if (!ended) await stop();
    setStopping(false);
    setMessages((all) => markStopped(all, result?.reply));
    composer.current?.focus();
  }

  function changeModel(next: string) {
    const previous = model;
    setModel(next);
    startModelChange(async () => {
      const result = await changeModelAction(session.id, next);
      if (!result.ok) {
        setModel(previous);
        toast.show(result.error, "error");
        return;
      }
      toast.show(`Model changed to ${modelNames.get(next) ?? next}`, "success");
    });
  }

  const lastIndex = messages.length - 1;
  const dividerIndex = memoryDividerIndex(messages, memory.throughSeq, hasOlder);
  const lastIsAssistant = messages.at(-1)?.role === "assistant";

  function displayStatus(message: ChatUIMessage, index: number): DisplayStatus {
    const isLast = index === lastIndex;
    if (isLast && message.role === "assistant") {
      if (status === "streaming") return "streaming";
      if (status === "error") return "error";
    }
    return message.metadata?.status ?? "complete";
  }

  return (
    <main className="flex min-w-0 flex-1 flex-col" aria-label={`Chat: ${session.title}`}>
      <ChatHeader
        title={session.title}
        projectId={project.id}
        systemPrompt={project.systemPrompt}
        model={model}
        models={models}
        modelPending={modelPending}
        onModelChange={changeModel}
        menuButtonRef={menuButtonRef}
        drawerOpen={drawerOpen}
        onOpenDrawer={onOpenDrawer}
        status={<MemoryStatus memory={memory} contextWindow={models.find((m) => m.id === model)?.contextWindow} />}
      />
      <div className="relative min-h-0 flex-1">
        <div ref={scroller} onScroll={onScroll} className="h-full overflow-y-auto" data-testid="message-scroller">
          <div className="mx-auto flex max-w-3xl flex-col gap-4 px-3 py-4 sm:px-6">
            {model === OFFLINE_MODEL_ID && <OfflineNotice />}
            {hasOlder && (
              <div className="flex justify-center">
                <Button variant="ghost" size="sm" onClick={() => void loadOlder()} pending={loadingOlder}>
                  Load older messages
                </Button>
              </div>
            )}
            {messages.length === 0 && !busy && (
              <p className="py-12 text-center text-sm text-muted">No messages yet. Say hello below.</p>
            )}
            <ol
              ref={content}
              role="log"
              aria-label="Messages"
              aria-live="polite"
              aria-relevant="additions"
              // While a reply streams, screen readers wait and read it once, instead of word by word.
              aria-busy={busy || undefined}
              className="flex flex-col gap-5"
            >
              {messages.map((message, index) => {
                const divider = index === dividerIndex ? <MemoryDivider key="memory-divider" memory={memory} /> : null;
                const isLastReply = index === lastIndex && message.role === "assistant";
                const shownStatus = displayStatus(message, index);
                return [
                  divider,
                  <MessageItem
                    key={message.id}
                    message={message}
                    status={shownStatus}
                    modelName={message.role === "assistant" ? modelNames.get(message.metadata?.model ?? "") ?? message.metadata?.model ?? undefined : undefined}
                    onRegenerate={isLastReply && !busy ? retry : undefined}
                    errorText={isLastReply && status === "error" ? readable?.message : (message.metadata?.error ?? undefined)}
                  />,
                ];
              })}
              {status === "submitted" && (
                <li className="flex justify-start" role="status" aria-label="The assistant is writing">
                  <span className="inline-flex gap-1 rounded-2xl bg-surface-2 px-4 py-3" aria-hidden>
                    <span className="h-2 w-2 animate-bounce rounded-full bg-muted [animation-delay:-0.3s]" />
                    <span className="h-2 w-2 animate-bounce rounded-full bg-muted [animation-delay:-0.15s]" />
                    <span className="h-2 w-2 animate-bounce rounded-full bg-muted" />
                  </span>
                </li>
              )}
            </ol>
            {status === "error" && !lastIsAssistant && readable && (
              <div role="alert" className="flex flex-wrap items-center gap-2 rounded-md border border-danger/50 px-3 py-2 text-sm text-danger">
                <CircleAlert aria-hidden className="h-4 w-4 shrink-0" />
                <span className="flex-1">{readable.message}</span>
                <Button size="sm" variant="secondary" onClick={retry}>
                  <RefreshCw aria-hidden className="h-3.5 w-3.5" /> Retry
                </Button>
              </div>
            )}
          </div>
        </div>
        {!atBottom && (
          <button
            type="button"
            onClick={() => {
              stick.current = true;
              setAtBottom(true);
              scrollToBottom(true);
            }}
            className="absolute bottom-4 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full border border-border bg-bg px-3 py-1.5 text-sm shadow-md hover:bg-surface"
          >
            <ArrowDown aria-hidden className="h-4 w-4" /> Jump to latest
          </button>
        )}
      </div>
      <Composer ref={composer} sessionId={session.id} busy={busy} onSend={send} onStop={() => void stopGenerating()} />
    </main>
  );
}

function OfflineNotice() {
  return (
    <aside aria-label="Offline model" className="flex gap-2 rounded-md border border-border bg-surface px-3 py-2 text-sm text-muted">
      <Info aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
      <p>
        <strong className="text-fg">Offline model.</strong> This chat uses the built-in offline model, which answers by describing what
        Parley would send to a real model. To connect one, set <code>OPENROUTER_API_KEY</code> (OpenRouter) or{" "}
        <code>OPENAI_COMPATIBLE_BASE_URL</code> (a local server such as Ollama) in the server&apos;s environment, restart, then pick the model
        above.
      </p>
    </aside>
  );
}
