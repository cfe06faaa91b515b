"use client";

import type { ChatStatus } from "ai";
import { useMemo, useState, type Ref, type RefObject } from "react";
import { messageText, type ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { MemoryDivider, type MemoryView } from "./memory";
import { memoryDividerIndex } from "./memory-divider";
import { MessageItem, type DisplayStatus } from "./message-item";
import type { VersionsProps } from "./message-versions";
import { messageRows } from "./message-rows";
import { useMessageWindow, type MessageWindowHandle } from "./use-message-window";

export interface MessageListProps {
  messages: ChatUIMessage[];
  /** useChat's status: the last reply streams, failed, or is awaited. */
  status: ChatStatus;
  busy: boolean;
  memory: MemoryView;
  hasOlder: boolean;
  modelNames: ReadonlyMap<string, string>;
  /** The readable error of the failed last reply. */
  errorText?: string;
  onRetry: () => void;
  /** The message a search opened the chat on, marked for a moment. */
  foundId?: string;
  /** A message's `‹ n/m ›`, when it has more than one version. */
  versionsOf?: (index: number) => VersionsProps | undefined;
  /** Resend the user message at `index` changed (a new version); absent while a reply is in flight. */
  onEdit?: (index: number, text: string) => void;
  /** The scrolling element around the list: only the rows near its viewport are rendered. */
  scrollerRef: RefObject<HTMLDivElement | null>;
  listRef: RefObject<HTMLOListElement | null>;
  /** Scrolling to rows that are not in the DOM (use-chat-scroll.ts). */
  windowRef?: Ref<MessageWindowHandle>;
}

/**
 * The conversation: messages, the memory divider where the summary ends, and "writing…" while a reply is awaited.
 * Windowed (use-message-window.ts): only the rows near the viewport are in the DOM.
 */
export function MessageList({
  messages,
  status,
  busy,
  memory,
  hasOlder,
  modelNames,
  errorText,
  onRetry,
  foundId,
  versionsOf,
  onEdit,
  scrollerRef,
  listRef,
  windowRef,
}: MessageListProps) {
  const lastIndex = messages.length - 1;
  const dividerIndex = memoryDividerIndex(messages, memory.throughSeq, hasOlder);
  const rows = useMemo(() => messageRows(messages, dividerIndex, status === "submitted"), [messages, dividerIndex, status]);
  const { rendered, paddingTop, paddingBottom } = useMessageWindow(rows, !hasOlder, scrollerRef, listRef, windowRef);
  const announcement = useReplyAnnouncement(messages, busy);

  function displayStatus(message: ChatUIMessage, index: number): DisplayStatus {
    const isLast = index === lastIndex;
    if (isLast && message.role === "assistant") {
      if (status === "streaming") return "streaming";
      if (status === "error") return "error";
    }
    return message.metadata?.status ?? "complete";
  }

  // The log wraps the list: a role on the <ol> itself would take its list semantics away (its items would be
  // orphaned listitems for screen readers). It is not live: windowing adds rows as the reader scrolls, which a live
  // log would read out as new. A finished reply is announced once by the status below instead.
  return (
    <>
      <div role="log" aria-label="Messages" aria-live="off">
        {/* The outline under the chat's <h1>: each message's own <h3> ("You said", "Assistant replied") follows it. */}
        <h2 className="sr-only">Messages</h2>
        <ol ref={listRef} className="flex flex-col gap-5" style={{ paddingTop, paddingBottom }} data-loaded={messages.length}>
          {rendered.map(({ row }) => {
            if (row.kind === "divider") return <MemoryDivider key={row.key} memory={memory} />;
            if (row.kind === "writing") {
              return (
                <li key={row.key} className="flex justify-start" role="status" aria-label="The assistant is writing">
                  <span className="inline-flex gap-1 rounded-2xl bg-surface-2 px-4 py-3" aria-hidden>
                    <span className="h-2 w-2 animate-bounce rounded-full bg-muted [animation-delay:-0.3s]" />
                    <span className="h-2 w-2 animate-bounce rounded-full bg-muted [animation-delay:-0.15s]" />
                    <span className="h-2 w-2 animate-bounce rounded-full bg-muted" />
                  </span>
                </li>
              );
            }
            const { message, index } = row;
            const isLastReply = index === lastIndex && message.role === "assistant";
            return (
              <MessageItem
                key={row.key}
                message={message}
                status={displayStatus(message, index)}
                found={message.id === foundId}
                versions={versionsOf?.(index)}
                onEdit={message.role === "user" && onEdit && !busy ? (text) => onEdit(index, text) : undefined}
                modelName={
                  message.role === "assistant"
                    ? (modelNames.get(message.metadata?.model ?? "") ?? message.metadata?.model ?? undefined)
                    : undefined
                }
                onRegenerate={isLastReply && !busy ? onRetry : undefined}
                errorText={isLastReply && status === "error" ? errorText : (message.metadata?.error ?? undefined)}
              />
            );
          })}
        </ol>
      </div>
      <p role="status" className="sr-only">
        {announcement}
      </p>
    </>
  );
}

/** The text of the reply that just finished (busy went false), for screen readers; empty until one does. */
function useReplyAnnouncement(messages: ChatUIMessage[], busy: boolean): string {
  const [wasBusy, setWasBusy] = useState(busy);
  const [announcement, setAnnouncement] = useState("");
  if (busy !== wasBusy) {
    setWasBusy(busy);
    const last = messages.at(-1);
    if (!busy && last?.role === "assistant") setAnnouncement(`Assistant replied: ${messageText(last)}`);
  }
  return announcement;
}
