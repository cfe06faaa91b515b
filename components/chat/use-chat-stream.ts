import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useToast } from "@/components/ui/toast";
import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { readChatError } from "./chat-errors";
import { newMessageId, type ChatRoute } from "./chat-route";
import type { ComposerHandle } from "./composer";
import { useOnline } from "./use-online";

/** A send that did not reach the server (or whose answer did not come back): its text is in the composer again. */
export interface UnsentMessage {
  text: string;
  /** The message's id: sending the same text again reuses it, so a send the server did store is not stored twice. */
  id: string;
  /** Why, in a sentence. */
  reason: string;
}

/** A stream that broke after the server answered: the browser lost the connection (not a reply that failed). */
const isDisconnect = (error: Error) => error instanceof TypeError && /fetch|network|load failed/i.test(error.message);

/** Attempts to pick a broken stream up again before giving up (the reply is stored anyway: a reload shows it). */
const RECONNECT_ATTEMPTS = 10;
const RECONNECT_DELAY_MS = 2_000;

/** What the latest request got, read and changed outside render (by the transport and useChat's callbacks). */
class Delivery {
  /** The server answered the latest request: it has the message, whatever happens to the stream. */
  answered = false;
  /** The screen's id of the message whose reply a resume fetches (a stream that broke mid-way). */
  resumeAfter: string | undefined;
  /** The stored id of an unanswered last message the page opened with: its reply, if stored since, comes too. */
  replyTo: string | undefined;
  attempts = 0;

  /** What the screen showed before the latest send or retry (undone if it does not reach the server). */
  before: { messages: ChatUIMessage[]; text?: string; id?: string } | null = null;

  /** A request leaves; `fresh`: a new send, whose breaks are counted afresh; `before`: what to go back to. */
  start(fresh = false, before: Delivery["before"] = null): void {
    this.answered = false;
    this.before = before;
    if (fresh) {
      this.attempts = 0;
      this.resumeAfter = undefined;
    }
  }

  answer(ok: boolean): void {
    this.answered = ok;
  }

  /** The reply to message `id` was lost on the way: true if another attempt to pick it up is due. */
  lose(id: string): boolean {
    if (this.attempts >= RECONNECT_ATTEMPTS) return false;
    this.resumeAfter = id;
    this.attempts += 1;
    return true;
  }

  /** The page opened on an unanswered message (stored id): the resume on opening also fetches its reply if stored. */
  opened(lastUnanswered: string | undefined): void {
    this.replyTo = lastUnanswered;
  }

  /** A resume went through: nothing is lost any more. */
  recovered(): void {
    this.replyTo = undefined;
    if (!this.answered) return;
    this.resumeAfter = undefined;
    this.attempts = 0;
  }
}

/** Runs `task` now if the browser is online, else once it is. */
function whenOnline(task: () => void, delayMs: number): void {
  if (navigator.onLine) setTimeout(task, delayMs);
  else window.addEventListener("online", () => task(), { once: true });
}

/**
 * useChat against POST /api/chat for one chat. `send` and `retry` return the request (for Stop to wait on).
 *
 * Nothing typed is lost (#15): a send that fails before the server answered (offline, connection reset, 5xx, 409
 * busy, 429) is undone — the screen shows what it showed before, the text goes back into the composer and
 * `unsent` says why (the screen offers Retry). Sending it again uses the same message id, which the server
 * recognises: if the first attempt was stored after all, the answer is that turn's reply, not a second turn. A
 * stream that breaks after the server answered (the connection dropped) is resumed once the browser is online
 * (`GET /api/chat/{id}/stream?after=<id>`): the reply goes on live, or arrives as stored. Nothing refreshes the page
 * while offline (a refresh then sends the tab to the browser's offline page).
 *
 * `resume()`: the reply being generated when the chat was opened (a reload, another tab), live (#15). A new chat
 * (`sessionId` null, `route.newChat` set) is created by its first message; its useChat, and the reply streaming
 * into it, stay when it gets its id.
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
  const online = useOnline();
  const [delivery] = useState(() => new Delivery());
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: "/api/chat",
        // Only the new message travels: the server loads the history itself, from the database.
        prepareSendMessagesRequest: ({ messages, trigger }) => ({ body: route.body(messages.at(-1), trigger) }),
        prepareReconnectToStreamRequest: ({ id }) => {
          const chat = route.id ?? id;
          const { resumeAfter: after, replyTo } = delivery;
          const query = after ? `?after=${encodeURIComponent(after)}` : replyTo ? `?reply_to=${encodeURIComponent(replyTo)}` : "";
          return { api: `/api/chat/${encodeURIComponent(chat)}/stream${query}` };
        },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          delivery.answer(response.ok);
          route.answered(response);
          return response;
        },
      }),
    [fetch, route, delivery],
  );
  const [unsent, setUnsent] = useState<UnsentMessage | null>(null);
  const [reconnecting, setReconnecting] = useState(false);

  const { messages, setMessages, sendMessage, regenerate, resumeStream, stop, status, error, clearError } =
    useChat<ChatUIMessage>({
      id: sessionId ?? "new",
      messages: initialMessages,
      transport,
      // UUIDs, so the stored user message keeps the id the screen already shows (paging older messages uses it).
      generateId: newMessageId,
      onError: (err) => {
        const readable = readChatError(err);
        const before = delivery.before;
        const lost = before?.id ?? delivery.resumeAfter;
        if (delivery.answered || delivery.resumeAfter) {
          // The server has the message. A lost connection is picked up again once online (resume: the rest of the
          // reply, live or as stored); a reply that failed stays shown with its error.
          if (lost && (isDisconnect(err) || !delivery.answered) && delivery.lose(lost)) {
            setReconnecting(true);
            whenOnline(
              () => {
                clearError();
                setReconnecting(false);
                void resumeLost.current?.();
              },
              delivery.attempts > 1 ? RECONNECT_DELAY_MS : 0,
            );
          }
          return;
        }
        // The server did not answer: it stored nothing, or its answer was lost (then the same id makes a retry the
        // same turn). The screen goes back to what it showed before (the optimistic user message goes, a reply
        // replaced by Retry returns) and a sent text returns to the box, with the reason and a Retry.
        if (before) {
          setMessages(before.messages);
          if (before.text !== undefined) composer.current?.restore(before.text);
        }
        const reason = readable?.message ?? "The message could not be sent.";
        if (before?.text !== undefined && before.id) setUnsent({ text: before.text, id: before.id, reason });
        else toast.show(reason, "error");
        // useChat sets its error status right after this callback returns: clear it once that has happened, so the
        // failed send is not also shown as a failure of the previous reply.
        setTimeout(clearError, 0);
      },
      // The sidebar order and title (and the context gauge) changed on the server. Not after a failure, and never
      // while offline: refreshing then would send the tab to the browser's offline page.
      onFinish: ({ isError, isAbort }) => {
        if (isError || isAbort || !navigator.onLine) return;
        if (onFinished) onFinished();
        else router.refresh();
      },
    });

  // The error callback runs outside render: it reads the messages through these refs.
  const latestMessages = useRef(messages);
  useEffect(() => {
    latestMessages.current = messages;
  }, [messages]);

  // A stream that broke goes on once the browser is online again: the rest of the reply, live or as stored.
  const resumeLost = useRef<(() => Promise<void>) | undefined>(undefined);
  useEffect(() => {
    resumeLost.current = async () => {
      delivery.start();
      await resumeStream();
      // Succeeded (or nothing to resume): the next break starts counting afresh. A failure has set up the next try.
      delivery.recovered();
    };
  }, [resumeStream, delivery]);

  function send(text: string): Promise<void> {
    clearError();
    // The same text as a send that failed is that send again, under its id (a no-op on the server if stored).
    const id = unsent?.text === text ? unsent.id : newMessageId();
    setUnsent(null);
    delivery.start(true, { messages: latestMessages.current, text, id });
    return sendMessage({ id, role: "user", parts: [{ type: "text", text }] });
  }

  function retry(): Promise<void> {
    clearError();
    delivery.start(true, { messages: latestMessages.current });
    return regenerate();
  }

  /** The reply being generated as the chat opened, if any (204: none, nothing changes). */
  const resume = useCallback(async (): Promise<void> => {
    delivery.start(true);
    const last = latestMessages.current.at(-1);
    delivery.opened(last?.role === "user" ? last.id : undefined);
    await resumeStream();
    delivery.recovered();
  }, [resumeStream, delivery]);

  return { messages, setMessages, status, error, stop, send, retry, resume, unsent, reconnecting, online };
}
