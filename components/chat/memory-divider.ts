import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";

/**
 * Where the verbatim part of the conversation begins among the loaded messages: the index of the first message
 * after the summary's boundary, or -1 when the divider does not belong in what is loaded (no summary, or the
 * boundary lies in older pages not loaded yet). Messages still streaming have no seq and count as verbatim.
 */
export function memoryDividerIndex(messages: Pick<ChatUIMessage, "metadata">[], throughSeq: number, hasOlder: boolean): number {
  if (throughSeq <= 0) return -1;
  const index = messages.findIndex((m) => m.metadata?.seq === undefined || m.metadata.seq > throughSeq);
  if (index === -1) return -1;
  if (index === 0 && hasOlder) return -1;
  return index;
}
