import { useCallback, useMemo, useRef, useState } from "react";
import { markStopped, type ChatUIMessage, type StopResult } from "@/lib/chat/ui/ui-messages";

/**
 * Remembers when the server answered the latest send: from then on it holds the generation, so a Stop can reach
 * it (a Stop sent before would find nothing to stop, and the reply would run on unseen).
 */
class ResponseTracker {
  begun: Promise<unknown> = Promise.resolve();
  fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = fetch(input, init);
    this.begun = response.catch(() => undefined);
    return response;
  };
}

/** How long a stopped reply's stream may take to end after the server confirmed the Stop. */
const STREAM_END_GRACE_MS = 3_000;

interface StoppableChat {
  /** useChat's stop: the browser stops reading the stream. */
  stop: () => Promise<void>;
  setMessages: (update: (all: ChatUIMessage[]) => ChatUIMessage[]) => void;
}

/**
 * Stop for the chat's reply. `fetch` goes into the chat transport (it notes when the server took the request);
 * `track` gets each send or regenerate, so Stop can wait for its stream to end. While `stopping`, the server still
 * holds the chat: a send or Regenerate would get a 409. `sessionId` is read when Stop is pressed, after the
 * server took the request: a new chat learns its id from that answer.
 */
export function useStopGeneration(sessionId: () => string | null) {
  const tracker = useMemo(() => new ResponseTracker(), []);
  // Settles when the latest send or regenerate has been read to its end.
  const requestDone = useRef<Promise<unknown>>(Promise.resolve());
  const [stopping, setStopping] = useState(false);

  const track = useCallback((request: Promise<unknown>) => {
    requestDone.current = request;
  }, []);

  const stopGeneration = useCallback(
    async ({ stop, setMessages }: StoppableChat) => {
      // The server stops the generation and stores what arrived as incomplete; its stream to us then ends by
      // itself, so reading it to the end shows exactly what was stored (what a reload would show). The stop route
      // answers once the reply is stored and the chat is free again.
      setStopping(true);
      await tracker.begun;
      const id = sessionId();
      const result = id
        ? await fetch(`/api/chat/${id}/stop`, { method: "POST" })
            .then((response) => (response.ok ? (response.json() as Promise<StopResult>) : undefined))
            .catch(() => undefined)
        : undefined;
      // Should the stream not end soon after (network trouble), the browser stops reading on its own.
      const ended = await Promise.race([
        requestDone.current.then(
          () => true,
          () => true,
        ),
        new Promise<boolean>((resolve) => setTimeout(resolve, STREAM_END_GRACE_MS, false)),
      ]);
      if (!ended) await stop();
      setStopping(false);
      setMessages((all) => markStopped(all, result?.reply));
    },
    [sessionId, tracker],
  );

  return { fetch: tracker.fetch, track, stopping, stopGeneration };
}
