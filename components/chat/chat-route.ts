import { CHAT_ID_HEADER } from "@/lib/chat/ui/chat-id-header";
import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";

export function newMessageId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // crypto.randomUUID exists only in secure contexts (HTTPS or localhost); a LAN address over HTTP lacks it.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A chat not stored yet (#14): where its first message creates it, and with which model. */
export interface NewChatTarget {
  projectId: string;
  /** Read when the first message leaves (the picker may change before). */
  model: () => string;
  /** The server stored the chat (its first send was accepted): `id` is its id. */
  onCreated: (id: string) => void;
}

/**
 * Which chat the sends go to, read and changed outside render (by the transport, and by Stop): the stored chat, or
 * a new chat until its first send is accepted. A new chat is named by a UUID made once for this screen, so a
 * repeated or retried first send names the same chat and two never appear; the server's `x-chat-id` answer then
 * gives the chat's id for everything after.
 */
export class ChatRoute {
  private draftId: string | null = null;
  private newChat?: NewChatTarget;
  private editOf?: string;

  constructor(public id: string | null) {}

  /** Where a chat not stored yet is created (unset for a stored chat). */
  createIn(newChat: NewChatTarget | undefined): void {
    this.newChat = newChat;
  }

  /** The next send is a new version of this earlier user message (its stored id): an edit. */
  editNext(messageId: string): void {
    this.editOf = messageId;
  }

  body(message: ChatUIMessage | undefined, trigger: string): Record<string, unknown> {
    const draft = this.newChat;
    const editOf = this.editOf;
    this.editOf = undefined;
    if (this.id || !draft)
      return { sessionId: this.id, message, trigger, ...(editOf && trigger === "submit-message" ? { editOf } : {}) };
    this.draftId ??= newMessageId();
    // Before the chat exists there is no reply to regenerate: Retry after a failed first send sends it again,
    // under the same names (had the first attempt got through after all, this is a 409 conflict:message).
    return {
      newChat: { id: this.draftId, projectId: draft.projectId, model: draft.model() },
      message,
      trigger: "submit-message",
    };
  }

  answered(response: Response): void {
    const id = response.headers.get(CHAT_ID_HEADER);
    if (!response.ok || !id || this.id) return;
    this.id = id;
    this.newChat?.onCreated(id);
  }
}
