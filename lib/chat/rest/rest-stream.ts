import "server-only";
import { generationFailure } from "./route-helpers";
import type { Generation, GenerationOutcome } from "@/lib/chat/engine/types";
import type { PhaseTimer } from "@/lib/chat/engine/server-timing";
import { SSE_DONE, SSE_HEADERS, sseComment, sseData, sseEvent } from "./sse";

/** How long we hold the response back waiting for the first token, so a failure before it is a clean 502. */
const FIRST_TOKEN_WAIT_MS = 2_000;
/** A comment this often while the model is silent keeps proxies and clients from timing out. */
export const KEEP_ALIVE_MS = 10_000;

type Part = Generation["result"]["stream"] extends ReadableStream<infer P> ? P : never;
type Read = ReadableStreamReadResult<Part>;
const TIMEOUT = Symbol("timeout");

function within(read: Promise<Read>, ms: number): Promise<Read | typeof TIMEOUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    read,
    new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), Math.max(0, ms)))),
  ]).finally(() => clearTimeout(timer));
}

const isEnd = (part: Part) => part.type === "error" || part.type === "abort" || part.type === "finish";

/** The end of the stream: an `event: error` when the reply failed, then `[DONE]`. */
export function closing(outcome: Pick<GenerationOutcome, "status" | "error">): string {
  const error =
    outcome.status === "error"
      ? sseEvent(
          "error",
          JSON.stringify({ detail: outcome.error?.detail ?? "The model failed", code: outcome.error?.code ?? "upstream:model" }),
        )
      : "";
  return error + SSE_DONE;
}

/**
 * `POST /api/v1/sessions/{id}/chat/stream` as the spec says: each text delta one event; `[DONE]` at the end;
 * a failure before the first token is a 502 JSON answer; after it, `event: error` then `[DONE]`. Reading this
 * stream is optional for the generation: the service drains its own copy, so a client that leaves changes
 * nothing (cancel only drops our copy).
 */
export async function restStreamResponse(generation: Generation, timer?: PhaseTimer): Promise<Response> {
  const reader = generation.result.stream.getReader();
  const encoder = new TextEncoder();
  const head: string[] = [];
  let pending: Promise<Read> | undefined = reader.read();
  let ended = false;
  // Each text event's id is how much reply text (UTF-16 code units) has been sent with it: a client that loses the
  // connection reattaches with `Last-Event-ID` (GET …/chat/stream, rest-reattach.ts) and gets the rest.
  let sent = 0;
  const textEvent = (text: string) => sseData(text, (sent += text.length));

  const deadline = Date.now() + FIRST_TOKEN_WAIT_MS;
  while (pending) {
    const result = await within(pending, deadline - Date.now());
    if (result === TIMEOUT) break;
    pending = undefined;
    if (result.done || isEnd(result.value)) {
      const outcome = await generation.done;
      if (outcome.status === "error") {
        await reader.cancel().catch(() => {});
        throw generationFailure(outcome.error);
      }
      if (result.done || result.value.type !== "finish") {
        head.push(closing(outcome));
        ended = true;
        break;
      }
    } else if (result.value.type === "text-delta" && result.value.text) {
      head.push(textEvent(result.value.text));
    }
    if (head.length > 0) {
      pending = reader.read();
      break;
    }
    pending = reader.read();
  }

  // The response starts with the first token (or the end): "upstream" is the model's time to it, as seen here.
  timer?.mark("upstream");
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.length) controller.enqueue(encoder.encode(head.join("")));
      if (ended) controller.close();
    },
    async pull(controller) {
      for (;;) {
        const result = await within((pending ??= reader.read()), KEEP_ALIVE_MS);
        if (result === TIMEOUT) {
          controller.enqueue(encoder.encode(sseComment("keep-alive")));
          return;
        }
        pending = undefined;
        if (result.done || isEnd(result.value)) {
          if (!result.done && result.value.type === "finish") continue; // the stream ends right after it
          // Nor is an error part the end: after a malformed frame the provider carries on, and the client must
          // see all the text that is stored. The outcome then closes the stream with `event: error`.
          if (!result.done && result.value.type === "error") continue;
          controller.enqueue(encoder.encode(closing(await generation.done)));
          controller.close();
          return;
        }
        if (result.value.type === "text-delta" && result.value.text) {
          controller.enqueue(encoder.encode(textEvent(result.value.text)));
          return;
        }
      }
    },
    async cancel() {
      await reader.cancel().catch(() => {});
    },
  });
  return new Response(stream, {
    status: 200,
    headers: timer ? { ...SSE_HEADERS, "Server-Timing": timer.header() } : SSE_HEADERS,
  });
}
