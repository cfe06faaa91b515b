"use client";

import type { ChatStatus } from "ai";
import type { Ref } from "react";
import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { MemoryDivider, type MemoryView } from "./memory";
import { memoryDividerIndex } from "./memory-divider";
import { MessageItem, type DisplayStatus } from "./message-item";
import type { VersionsProps } from "./message-versions";

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
  ref?: Ref<HTMLOListElement>;
}

/** The conversation: messages, the memory divider where the summary ends, and "writing…" while a reply is awaited. */
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
  ref,
}: MessageListProps) {
  const lastIndex = messages.length - 1;
  const dividerIndex = memoryDividerIndex(messages, memory.throughSeq, hasOlder);

  function displayStatus(message: ChatUIMessage, index: number): DisplayStatus {
    const isLast = index === lastIndex;
    if (isLast && message.role === "assistant") {
      if (status === "streaming") return "streaming";
      if (status === "error") return "error";
    }
    return message.metadata?.status ?? "complete";
  }

  // The live region wraps the list: a role on the <ol> itself would take its list semantics away (its items would
  // be orphaned listitems for screen readers).
  return (
    <div
      role="log"
      aria-label="Messages"
      aria-live="polite"
      aria-relevant="additions"
      // While a reply streams, screen readers wait and read it once, instead of word by word.
      aria-busy={busy || undefined}
    >
      <ol ref={ref} className="flex flex-col gap-5">
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
    </div>
  );
}
