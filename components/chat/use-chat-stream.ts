import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, type RefObject } from "react";
import { useToast } from "@/components/ui/toast";
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

/**
 * useChat against POST /api/chat for one chat. `send` and `retry` return the request (for Stop to wait on). A
 * send the server refuses (409 busy, 429 rate limit) is undone: the screen shows what it showed before and the
 * text goes back into the composer.
 */
export function useChatStream(
  sessionId: string,
  initialMessages: ChatUIMessage[],
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
  composer: RefObject<ComposerHandle | null>,
) {
  const router = useRouter();
  const toast = useToast();
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: "/api/chat",
        // Only the new message travels: the server loads the history itself, from the database.
        prepareSendMessagesRequest: ({ id, messages, trigger }) => ({
          body: { sessionId: id, message: messages.at(-1), trigger },
        }),
        fetch,
      }),
    [fetch],
  );

  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError } = useChat<ChatUIMessage>({
    id: sessionId,
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
