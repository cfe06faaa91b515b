/**
 * Reading Server-Sent Events as a browser's EventSource does, with eventsource-parser: the tests' reading of a
 * stream does not share code or assumptions with our encoder (lib/chat/rest/sse.ts). Events split on blank lines,
 * `data:` lines joined by "\n", comments skipped; a line a browser would ignore (an unknown field) fails the test.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface SseEvent {
  event: string;
  data: string;
}

/** Feeds text as it arrives; returns the events completed by it. */
export function sseParser(): (text: string) => SseEvent[] {
  let done: SseEvent[] = [];
  let problem: Error | undefined;
  const parser = createParser({
    // EventSource names an event without `event:` "message"; the parser leaves it undefined.
    onEvent: (message: EventSourceMessage) => done.push({ event: message.event ?? "message", data: message.data }),
    onError: (error) => (problem ??= error),
  });
  return (text) => {
    parser.feed(text);
    if (problem) throw problem;
    const completed = done;
    done = [];
    return completed;
  };
}

/** Reads a whole SSE body; `onEvent` sees each event as it arrives. */
export async function parseSse(response: Response, onEvent?: (event: SseEvent) => void): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const feed = sseParser();
  const decoder = new TextDecoder();
  const take = (text: string) => {
    for (const event of feed(text)) {
      events.push(event);
      onEvent?.(event);
    }
  };
  if (response.body) for await (const chunk of response.body) take(decoder.decode(chunk, { stream: true }));
  // An event the body ended without closing (no blank line) is dropped, as the specification says (the
  // parser is never asked to consume what it holds).
  take(decoder.decode());
  return events;
}

/** What a client of the REST stream makes of its events: the reply's text, the error it was told of, the end. */
export interface StreamedReply {
  /** Every data event but [DONE], concatenated. */
  text: string;
  /** The `event: error` payload. */
  error?: { detail: string; code: string };
  /** True when the stream ended with `data: [DONE]`. */
  done: boolean;
}

export function streamedReply(events: SseEvent[]): StreamedReply {
  const errorEvent = events.find((e) => e.event === "error");
  return {
    text: events
      .filter((e) => e.event === "message" && e.data !== "[DONE]")
      .map((e) => e.data)
      .join(""),
    error: errorEvent ? (JSON.parse(errorEvent.data) as { detail: string; code: string }) : undefined,
    done: events.at(-1)?.data === "[DONE]",
  };
}
