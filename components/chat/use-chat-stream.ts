import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, type RefObject } from "react";
import { useToast } from "@/components/ui/toast";
import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { readChatError } from "./chat-errors";
import { newMessageId, type ChatRoute } from "./chat-route";
import type { ComposerHandle } from "./composer";

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
