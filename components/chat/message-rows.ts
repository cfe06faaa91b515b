import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";

/**
 * The message list's rows, in order: each becomes exactly one `<li>` of the list, which is what the windowing
 * (use-message-window.ts) counts, keys and measures. The memory divider and the "writing…" indicator are rows too,
 * so they scroll in and out with the messages around them.
 */
export type MessageRow =
  | { kind: "divider"; key: "memory-divider" }
  | { kind: "message"; key: string; message: ChatUIMessage; index: number }
  | { kind: "writing"; key: "writing" };

export function messageRows(messages: readonly ChatUIMessage[], dividerIndex: number, writing: boolean): MessageRow[] {
  const rows: MessageRow[] = [];
  messages.forEach((message, index) => {
    if (index === dividerIndex) rows.push({ kind: "divider", key: "memory-divider" });
    rows.push({ kind: "message", key: message.id, message, index });
  });
  if (writing) rows.push({ kind: "writing", key: "writing" });
  return rows;
}
