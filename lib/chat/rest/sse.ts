/**
 * Server-Sent Events framing for the REST stream, correct under the SSE specification: a delta containing
 * newlines becomes several `data:` lines of ONE event (a conforming parser joins them back with "\n"), so
 * no token can break the framing (the original wrote raw tokens and broke on the first newline).
 */
export function sseData(text: string, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}${text
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join("\n")}\n\n`;
}

export function sseEvent(event: string, data: string): string {
  return `event: ${event}\n${sseData(data)}`;
}

export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
}

export const SSE_DONE = "data: [DONE]\n\n";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  Connection: "keep-alive",
  // Proxies such as nginx would otherwise buffer the stream and defeat streaming.
  "X-Accel-Buffering": "no",
} as const;
