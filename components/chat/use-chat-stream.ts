import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, type RefObject } from "react";
import { useToast } from "@/components/ui/toast";
import { CHAT_ID_HEADER } from "@/lib/chat/ui/ui-contract";
import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { readChatError } from "./chat-errors";
import type { ComposerHandle } from "./composer";

function newMessageId(): string {
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

  constructor(public id: string | null) {}

  /** Where a chat not stored yet is created (unset for a stored chat). */
  createIn(newChat: NewChatTarget | undefined): void {
    this.newChat = newChat;
  }

  body(message: ChatUIMessage | undefined, trigger: string): Record<string, unknown> {
    const draft = this.newChat;
    if (this.id || !draft) return { sessionId: this.id, message, trigger };
    this.draftId ??= newMessageId();
    return { newChat: { id: this.draftId, projectId: draft.projectId, model: draft.model() }, message, trigger };
  }

  answered(response: Response): void {
    const id = response.headers.get(CHAT_ID_HEADER);
    if (!response.ok || !id || this.id) return;
    this.id = id;
    this.newChat?.onCreated(id);
  }
}

/**
 * useChat against POST /api/chat for one chat. `send` and `retry` return the request (for Stop to wait on). A
 * send the server refuses (409 busy, 429 rate limit) is undone: the screen shows what it showed before and the
 * text goes back into the composer. A new chat (`sessionId` null, `route.newChat` set) is created by its first
 * message; its useChat, and the reply streaming into it, stay when it gets its id.
 */
export function useChatStream(
  sessionId: string | null,
  route: ChatRoute,
  initialMessages: ChatUIMessage[],
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
  composer: RefObject<ComposerHandle | null>,
  /** Instead of refreshing the page's server data when a reply has ended. */
  onFinished?: () => void,
) {
  const router = useRouter();
  const toast = useToast();
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: "/api/chat",
        // Only the new message travels: the server loads the history itself, from the database.
        prepareSendMessagesRequest: ({ messages, trigger }) => ({ body: route.body(messages.at(-1), trigger) }),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          route.answered(response);
          return response;
        },
      }),
    [fetch, route],
  );

  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError } = useChat<ChatUIMessage>({
    id: sessionId ?? "new",
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
    onFinish: () => (onFinished ? onFinished() : router.refresh()),
  });

  // The error callback runs outside render: it reads the messages through these refs.
  const latestMessages = useRef(messages);
  const beforeSend = useRef<{ messages: ChatUIMessage[]; text?: string } | null>(null);
  useEffect(() => {
    latestMessages.current = messages;
  }, [messages]);

  function send(text: string): Promise<void> {
    clearError();
    beforeSend.current = { messages: latestMessages.current, text };
    return sendMessage({ text });
  }

  function retry(): Promise<void> {
    clearError();
    beforeSend.current = { messages: latestMessages.current };
    return regenerate();
  }

  return { messages, setMessages, status, error, stop, send, retry };
}
