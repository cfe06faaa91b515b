import "server-only";
import { randomUUID } from "node:crypto";
import { createUIMessageStream, createUIMessageStreamResponse } from "ai";
import { generationErrorDetail, type GenerationErrorCode } from "@/lib/chat/engine/errors";
import type { ChatMessageMetadata, ChatUIMessage } from "@/lib/chat/ui/ui-contract";
import type { WatchEvent } from "./watch";

/**
 * A watched reply as the AI SDK's UI message stream, for useChat's resume (`GET /api/chat/{id}/stream`): a replay
 * from the start (the text so far in one delta), then the live deltas, then the stored end with the metadata the
 * send's own stream ends with (status, usage, error). The reply's id is the id it is stored with.
 */
export function uiReattachResponse(watch: AsyncGenerator<WatchEvent>, headers?: Record<string, string>): Response {
  const stream = createUIMessageStream<ChatUIMessage>({
    execute: async ({ writer }) => {
      let model = "";
      let started = false;
      let reasoningOpen = false;
      let textOpen = false;
      const start = (messageId: string) => {
        if (started) return;
        started = true;
        writer.write({ type: "start", messageId, messageMetadata: { model } satisfies ChatMessageMetadata });
      };
      const write = (text: string, reasoning: string) => {
        if (reasoning) {
          if (!reasoningOpen) writer.write({ type: "reasoning-start", id: "r" });
          reasoningOpen = true;
          writer.write({ type: "reasoning-delta", id: "r", delta: reasoning });
        }
        if (text) {
          if (!textOpen) writer.write({ type: "text-start", id: "t" });
          textOpen = true;
          writer.write({ type: "text-delta", id: "t", delta: text });
        }
      };
      for await (const event of watch) {
        if (event.type === "begin") {
          model = event.model;
          // Without the channel the reply's id is not known until it is stored: the screen shows "waiting" till then.
          if (event.messageId) start(event.messageId);
          write(event.text, event.reasoning);
        } else if (event.type === "delta") write(event.text, event.reasoning);
        else {
          const message = event.message;
          start(message?.id ?? randomUUID());
          write(event.text, event.reasoning);
          if (reasoningOpen) writer.write({ type: "reasoning-end", id: "r" });
          if (textOpen) writer.write({ type: "text-end", id: "t" });
          const status = message?.status ?? "error";
          const code = (message?.errorCode ?? (message ? undefined : "internal:generation")) as GenerationErrorCode | undefined;
          const metadata: ChatMessageMetadata = {
            model: message?.model ?? model,
            status,
            ...(message
              ? { usage: { input_tokens: message.inputTokens, output_tokens: message.outputTokens, cost: message.cost } }
              : {}),
            ...(status === "error" && code ? { error: generationErrorDetail(code) } : {}),
          };
          writer.write({ type: "finish", messageMetadata: metadata });
        }
      }
    },
  });
  return createUIMessageStreamResponse({ stream, headers: { "Cache-Control": "no-store, no-transform", ...headers } });
}
