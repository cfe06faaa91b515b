import "server-only";
import { generationErrorDetail, type GenerationErrorCode } from "@/lib/chat/engine/errors";
import type { WatchEvent } from "@/lib/chat/live/watch";
import { closing, KEEP_ALIVE_MS } from "./rest-stream";
import { SSE_HEADERS, sseComment, sseData } from "./sse";

/**
 * `GET /api/v1/sessions/{id}/chat/stream`: the running reply as the POST's own stream frames it (`data:` per
 * delta, `event: error`, `[DONE]`), each text event's `id` the reply's length so far. `from` (the client's
 * `Last-Event-ID`) skips what the client has: the first event carries the text so far after it, then live deltas.
 * Without the live channel the text arrives in one event once the reply is stored.
 */
export function restReattachResponse(watch: AsyncGenerator<WatchEvent>, from: number): Response {
  const encoder = new TextEncoder();
  let shown = 0;
  const text = (delta: string) => {
    const start = shown;
    shown += delta.length;
    // Skip what the client already has: the part of the delta at or before `from`.
    const rest = shown <= from ? "" : delta.slice(Math.max(0, from - start));
    return rest ? sseData(rest, shown) : "";
  };
  let pending: Promise<IteratorResult<WatchEvent>> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        pending ??= watch.next();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const result = await Promise.race([
          pending,
          new Promise<"idle">((resolve) => (timer = setTimeout(resolve, KEEP_ALIVE_MS, "idle"))),
        ]).finally(() => clearTimeout(timer));
        if (result === "idle") {
          controller.enqueue(encoder.encode(sseComment("keep-alive")));
          return;
        }
        pending = undefined;
        if (result.done) {
          controller.close();
          return;
        }
        const event = result.value;
        let out: string;
        if (event.type === "end") {
          if (event.restart) shown = 0;
          const message = event.message;
          const code = (message?.errorCode ?? "internal:generation") as GenerationErrorCode;
          const status = message?.status ?? "error";
          out = text(event.text) + closing({ status, error: { code, detail: generationErrorDetail(code) } });
        } else out = text(event.text);
        if (out) {
          controller.enqueue(encoder.encode(out));
          return;
        }
      }
    },
    async cancel() {
      await watch.return(undefined);
    },
  });
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
