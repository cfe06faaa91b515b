/**
 * Reading Server-Sent Events following the specification: events split on blank lines, `data:` lines joined by
 * "\n", comments skipped. Node built-ins only, so in-process tests and tests against a running server share it.
 */
export interface SseEvent {
  event: string;
  data: string;
}

/** Feeds text as it arrives; returns the events completed by it. */
export function sseParser(): (text: string) => SseEvent[] {
  let buffer = "";
  let event = "message";
  let data: string[] = [];
  let hasData = false;
  return (text) => {
    buffer += text;
    // A CR at the very end may be half of a CRLF split between chunks: it waits for the next one.
    const held = buffer.endsWith("\r") ? "\r" : "";
    const lines = buffer.slice(0, buffer.length - held.length).split(/\r\n|\r|\n/);
    buffer = (lines.pop() ?? "") + held; // an unfinished line waits for the next chunk
    const done: SseEvent[] = [];
    for (const line of lines) {
      if (line === "") {
        if (hasData) done.push({ event, data: data.join("\n") });
        event = "message";
        data = [];
        hasData = false;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") {
        data.push(value);
        hasData = true;
      } else if (field === "event") event = value;
    }
    return done;
  };
}

/** Reads a whole SSE body; `onEvent` sees each event as it arrives. */
export async function parseSse(response: Response, onEvent?: (event: SseEvent) => void): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const feed = sseParser();
  const decoder = new TextDecoder();
  if (response.body) {
    for await (const chunk of response.body) {
      for (const event of feed(decoder.decode(chunk, { stream: true }))) {
        events.push(event);
        onEvent?.(event);
      }
    }
  }
  // An event the body ended without closing (no blank line) is dropped, as the specification says.
  for (const event of feed(decoder.decode())) events.push(event);
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
