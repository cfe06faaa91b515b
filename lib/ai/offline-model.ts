import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { extractiveSummary } from "@/lib/memory/extractive";
import { MEMORY_SECTION_START, SUMMARIZER_MARKER, type TranscriptEntry } from "@/lib/memory/prompt";
import { offlineTitle, questionOfTitlePrompt, TITLE_MARKER } from "@/lib/chats/title-prompt";
import { OFFLINE_MODEL_ID } from "./types";

/**
 * The model that is always there: written in our code, no network. It streams deterministically, word by
 * word, and its reply describes what Parley sent it (instructions, memory summary, earlier turns), so a fresh
 * install shows how context is built. Asked to summarize (memory), it answers extractively; asked for a chat's
 * title, it answers with the first words of the question.
 */

export interface OfflineModelOptions {
  /** Pause between words, so streaming is visible in the UI. Tests pass 0. */
  wordDelayMs?: number;
}

export interface ReceivedContext {
  instructions: boolean;
  instructionChars: number;
  memorySummary: boolean;
  earlierTurns: number;
  lastUserMessage: string;
}

export function describeReceivedContext(prompt: LanguageModelV4Prompt): ReceivedContext {
  const system = prompt
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const userMessages = prompt.filter((m) => m.role === "user");
  const last = userMessages.at(-1);
  const memorySummary = system.includes(MEMORY_SECTION_START);
  const projectInstructions = memorySummary ? system.slice(0, system.indexOf(MEMORY_SECTION_START)).trim() : system.trim();
  return {
    instructions: projectInstructions.length > 0,
    instructionChars: projectInstructions.length,
    memorySummary,
    // A turn is one earlier user message and its reply.
    earlierTurns: Math.max(0, userMessages.length - 1),
    lastUserMessage: last ? textOf(last.content) : "",
  };
}

export function offlineReply(prompt: LanguageModelV4Prompt): string {
  const system = prompt
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const request = () =>
    prompt
      .filter((m) => m.role === "user")
      .map((m) => textOf(m.content))
      .join("\n");
  if (system.includes(SUMMARIZER_MARKER)) {
    const { previous, entries } = parseSummarizerPrompt(request());
    return extractiveSummary(previous, entries);
  }
  if (system.includes(TITLE_MARKER)) return offlineTitle(questionOfTitlePrompt(request()));
  const context = describeReceivedContext(prompt);
  const echo = shorten(context.lastUserMessage.replace(/\s+/g, " ").trim(), 80);
  return [
    `This is Parley's **offline model**: no API key is configured, so no real model wrote this.`,
    ``,
    `You said: “${echo}”`,
    ``,
    `What Parley sent me:`,
    `- Instructions: ${context.instructions ? `yes (${context.instructionChars} characters)` : "none"}`,
    `- Memory summary: ${context.memorySummary ? "yes" : "none"}`,
    `- Earlier turns: ${context.earlierTurns}`,
    ``,
    "To talk to a real model, set `OPENROUTER_API_KEY` (or `OPENAI_COMPATIBLE_BASE_URL` for a local server) and restart Parley.",
  ].join("\n");
}

/** The inverse of lib/memory/prompt.ts `summarizerPrompt`: the previous summary and the transcript entries. */
export function parseSummarizerPrompt(text: string): { previous: string | null; entries: TranscriptEntry[] } {
  const match = /^Previous summary:\n([\s\S]*?)\n\nNew messages:\n([\s\S]*)$/.exec(text);
  if (!match) return { previous: null, entries: [] };
  const [, summary = "", transcript = ""] = match;
  const previous = summary.trim() === "(none yet)" ? null : summary.trim();
  const entries: TranscriptEntry[] = [];
  const header = /^\[#(\d+) (user|assistant)(?: \(part (\d+) of (\d+)\))?\]$/;
  let current: TranscriptEntry | undefined;
  const lines: string[] = [];
  const flush = () => {
    if (current) entries.push({ ...current, content: lines.join("\n").trim() });
    lines.length = 0;
  };
  for (const line of transcript.split("\n")) {
    const h = header.exec(line);
    if (h) {
      flush();
      current = {
        seq: Number(h[1]),
        role: h[2] as "user" | "assistant",
        content: "",
        ...(h[3] ? { part: { index: Number(h[3]), of: Number(h[4]) } } : {}),
      };
    } else {
      lines.push(line);
    }
  }
  flush();
  return { previous, entries };
}

/** Approximate tokens (about four characters each): the offline model has no tokenizer. */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function promptChars(prompt: LanguageModelV4Prompt): number {
  return prompt.reduce((sum, m) => sum + (m.role === "system" ? m.content.length : textOf(m.content).length), 0);
}

function usageOf(prompt: LanguageModelV4Prompt, reply: string): LanguageModelV4Usage {
  const input = Math.ceil(promptChars(prompt) / 4);
  const output = approximateTokens(reply);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
  };
}

/** Words with the whitespace that follows them: concatenated, they are exactly the reply. */
export function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export function createOfflineModel(options: OfflineModelOptions = {}): LanguageModelV4 {
  const wordDelayMs = options.wordDelayMs ?? 15;
  return {
    specificationVersion: "v4",
    provider: "parley-offline",
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},
    async doGenerate(call: LanguageModelV4CallOptions) {
      call.abortSignal?.throwIfAborted();
      const reply = offlineReply(call.prompt);
      return {
        content: [{ type: "text", text: reply }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usageOf(call.prompt, reply),
        warnings: [],
      };
    },
    async doStream(call: LanguageModelV4CallOptions) {
      call.abortSignal?.throwIfAborted();
      const reply = offlineReply(call.prompt);
      const words = splitWords(reply);
      const signal = call.abortSignal;
      let index = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({
            type: "response-metadata",
            id: `offline-${Date.now()}`,
            modelId: OFFLINE_MODEL_ID,
            timestamp: new Date(),
          });
          controller.enqueue({ type: "text-start", id: "text-0" });
          signal?.addEventListener(
            "abort",
            () => {
              clearTimeout(timer);
              // Like a real provider whose fetch was aborted: the stream fails with the abort reason.
              try {
                controller.error(signal.reason ?? new DOMException("The operation was aborted", "AbortError"));
              } catch {
                // already closed
              }
            },
            { once: true },
          );
        },
        async pull(controller) {
          if (signal?.aborted) return;
          if (index < words.length) {
            if (wordDelayMs > 0 && index > 0) await new Promise<void>((resolve) => (timer = setTimeout(resolve, wordDelayMs)));
            if (signal?.aborted) return;
            controller.enqueue({ type: "text-delta", id: "text-0", delta: words[index++] ?? "" });
            return;
          }
          controller.enqueue({ type: "text-end", id: "text-0" });
          controller.enqueue({
            type: "finish",
            finishReason: { unified: "stop", raw: "stop" },
            usage: usageOf(call.prompt, reply),
          });
          controller.close();
        },
        cancel() {
          clearTimeout(timer);
        },
      });
      return { stream };
    },
  };
}

function textOf(content: ReadonlyArray<{ type: string; text?: string }>): string {
  return content.map((p) => (p.type === "text" && typeof p.text === "string" ? p.text : "")).join("");
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
