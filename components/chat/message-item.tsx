"use client";

import { memo, useMemo, useState } from "react";
import { Check, CircleAlert, Copy, Pencil, RefreshCw, Square } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/lib/utils/cn";
import { containsCodeBlock } from "@/lib/chat/ui/code-blocks";
import { containsMath, normalizeMath } from "@/lib/chat/ui/math";
import { messageReasoning, messageText, type ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { exactCost, usageLine } from "@/lib/usage/format";
import { MessageEditor } from "./message-editor";
import { MessageVersions, type VersionsProps } from "./message-versions";
import { Markdown } from "./markdown";

export type DisplayStatus = "complete" | "incomplete" | "error" | "streaming";

export interface MessageItemProps {
  message: ChatUIMessage;
  status: DisplayStatus;
  modelName?: string;
  /** Shown on the last assistant reply when no reply is in flight. */
  onRegenerate?: () => void;
  errorText?: string;
  /** The search result the chat was opened on: marked for a moment. */
  found?: boolean;
  /** More than one version (an edit, a regenerated reply): `‹ n/m ›`. */
  versions?: VersionsProps;
  /** A user message's Edit: resend it changed, as a new version (absent while a reply is in flight). */
  onEdit?: (text: string) => void;
}

export const MessageItem = memo(function MessageItem({
  message,
  status,
  modelName,
  onRegenerate,
  errorText,
  found,
  versions,
  onEdit,
}: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  // A ring that fades (transition) when `found` goes away; data-found lets tests and styles see it.
  const foundClass = cn("rounded-2xl transition-shadow duration-700", found && "ring-2 ring-accent ring-offset-4 ring-offset-bg");
  const text = messageText(message);
  const markdown = useMemo(() => (message.role === "assistant" ? normalizeMath(text) : text), [message.role, text]);
  const needsMath = message.role === "assistant" && containsMath(markdown);
  const needsCode = message.role === "assistant" && containsCodeBlock(markdown);
  if (message.role === "user") {
    return (
      <li
        className={cn("flex justify-end", foundClass)}
        data-role="user"
        data-message-id={message.id}
        data-found={found || undefined}
      >
        {/* Wide screens: Copy sits beside the bubble, shown on hover or focus, so the hidden button leaves no empty
            line before the reply (#16). Narrow ones: under the bubble, always visible (no hover on touch). */}
        {editing && onEdit ? (
          <MessageEditor
            initial={text}
            onCancel={() => setEditing(false)}
            onSave={(next) => {
              setEditing(false);
              onEdit(next);
            }}
          />
        ) : (
          <div className="group flex max-w-[85%] flex-col items-end gap-1 md:flex-row-reverse md:items-end">
            <h3 className="sr-only">You said</h3>
            <div className="min-w-0 rounded-2xl rounded-br-sm bg-accent px-4 py-2 text-sm whitespace-pre-wrap break-words text-accent-fg">
              {text}
            </div>
            {/* Fully opaque on touch screens: a faded label fails contrast (3.05:1) and there is no hover to reveal it. */}
            <div className="flex shrink-0 items-center focus-within:opacity-100 md:opacity-0 md:group-hover:opacity-100">
              {versions && <MessageVersions {...versions} />}
              {onEdit && (
                <button
                  type="button"
                  aria-label="Edit message"
                  onClick={() => setEditing(true)}
                  className="inline-flex items-center gap-1 rounded px-1.5 py-1 text-xs text-muted hover:bg-surface-2 hover:text-fg"
                >
                  <Pencil aria-hidden className="h-3.5 w-3.5" />
                  <span aria-hidden>Edit</span>
                </button>
              )}
              <CopyButton text={text} />
            </div>
          </div>
        )}
      </li>
    );
  }

  const reasoning = messageReasoning(message);
  const streaming = status === "streaming";
  return (
    <li
      className={cn("flex justify-start", foundClass)}
      data-role="assistant"
      data-message-id={message.id}
      data-status={status}
      data-found={found || undefined}
    >
      <div className="flex w-full max-w-[92%] flex-col gap-1.5">
        <h3 className="sr-only">Assistant replied</h3>
        {reasoning && (
          <details className="rounded-md border border-border bg-surface text-sm" open={streaming && !text}>
            <summary className="cursor-pointer px-3 py-1.5 text-muted select-none">
              {streaming && !text ? "Thinking…" : "Reasoning"}
            </summary>
            <div className="border-t border-border px-3 py-2 text-muted whitespace-pre-wrap">{reasoning}</div>
          </details>
        )}
        {text ? (
          <Markdown id={message.id} markdown={markdown} streaming={streaming} math={needsMath} code={needsCode} />
        ) : (
          !reasoning && (
            <div className="chat-markdown text-sm leading-relaxed break-words">
              {/* Streamdown's scope re-maps "muted" to a fill (globals.css): the text colour is muted-foreground here. */}
              {status !== "streaming" && <p className="text-muted-foreground italic">(no text)</p>}
            </div>
          )
        )}
        {status === "incomplete" && (
          <p className="flex items-center gap-1.5 text-xs text-muted">
            <Square aria-hidden className="h-3 w-3" /> Stopped — this reply is incomplete.
          </p>
        )}
        {status === "error" && (
          <div
            role="alert"
            className="flex flex-wrap items-center gap-2 rounded-md border border-danger/50 px-3 py-2 text-sm text-danger"
          >
            <CircleAlert aria-hidden className="h-4 w-4 shrink-0" />
            <span className="flex-1">{errorText ?? "The model failed while writing this reply."}</span>
            {onRegenerate && (
              <Button size="sm" variant="secondary" onClick={onRegenerate}>
                <RefreshCw aria-hidden className="h-3.5 w-3.5" /> Retry
              </Button>
            )}
          </div>
        )}
        {!streaming && (
          <div className="flex items-center gap-1 text-xs text-muted">
            {versions && <MessageVersions {...versions} />}
            {modelName && (
              <span className="rounded-full border border-border px-2 py-0.5" data-testid="model-badge">
                {modelName}
              </span>
            )}
            {message.role === "assistant" && message.metadata?.usage && (
              <span className="px-1.5 tabular-nums" data-testid="reply-usage" title={exactCost(message.metadata.usage.cost)}>
                {usageLine(message.metadata.usage)}
              </span>
            )}
            {text && <CopyButton text={text} />}
            {onRegenerate && status !== "error" && (
              <button
                type="button"
                onClick={onRegenerate}
                aria-label="Regenerate reply"
                className="inline-flex items-center gap-1 rounded px-1.5 py-1 hover:bg-surface-2 hover:text-fg"
              >
                <RefreshCw aria-hidden className="h-3.5 w-3.5" /> Regenerate
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
});

function CopyButton({ text, className }: { text: string; className?: string }) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={copied ? "Copied" : "Copy message"}
      className={cn(
        "inline-flex items-center gap-1 rounded px-1.5 py-1 text-xs text-muted hover:bg-surface-2 hover:text-fg",
        className,
      )}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          toast.show("Could not copy: the browser refused clipboard access.", "error");
        }
      }}
    >
      {copied ? <Check aria-hidden className="h-3.5 w-3.5" /> : <Copy aria-hidden className="h-3.5 w-3.5" />}
      <span aria-hidden>{copied ? "Copied" : "Copy"}</span>
    </button>
  );
}
