/**
 * A loopback stand-in for OpenRouter's chat completions API, speaking the wire format of the stack facts, so
 * tests drive the REAL @openrouter/ai-sdk-provider through HTTP. Self-contained (node built-ins only) so it
 * also runs on its own for e2e and benchmarks:
 *   node tests/support/openrouter-standin.ts --port 3599 [--ttft 200] [--token-delay 20] [--reply "…"]
 * Every request body is recorded; the behaviour of the next requests is settable (script) or queued (once).
 * It also serves the model catalog (`GET …/models`, OpenRouter's shape): a settable list, or a failure. The same
 * path answers as a local OpenAI-compatible server's model list (its first entry, "standin-local").
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

export type StandinFailure =
  /** HTTP error before any stream starts. */
  | { kind: "http"; status: number; message?: string }
  /** A `data:` frame carrying an `error` after `afterChunks` content chunks. */
  | { kind: "mid-stream"; afterChunks: number; message?: string }
  /** Stops sending (connection left open) after `afterChunks` content chunks. */
  | { kind: "stall"; afterChunks: number }
  /** Sends a frame that is not JSON after `afterChunks` content chunks, then carries on. */
  | { kind: "malformed"; afterChunks: number };

export interface StandinScript {
  /** The reply text; it is sent in chunks of `chunkWords` words. */
  reply: string;
  /** Reasoning text sent (as `delta.reasoning`) before the reply. */
  reasoning?: string;
  /** Delay before the first chunk. */
  ttftMs: number;
  /** Delay between chunks. */
  tokenDelayMs: number;
  chunkWords: number;
  /** `: OPENROUTER PROCESSING` comment lines sent before the first chunk. */
  processingComments: number;
  failure?: StandinFailure;
  /**
   * Streams hold before content chunk `beforeChunk` until `until` settles: how a test orders a race.
   * Non-streaming answers hold before they are sent.
   */
  pause?: { beforeChunk: number; until: Promise<unknown> };
  usage?: { prompt_tokens: number; completion_tokens: number };
  /**
   * The call's cost in USD, as OpenRouter's usage accounting reports it (`usage.cost`); 0 by default. Sent
   * only when the request asked for it (`usage: { include: true }`), as OpenRouter does.
   */
  cost?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: ChatRequestBody;
  receivedAt: number;
}

export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role: string; content: unknown }>;
  [key: string]: unknown;
}

/** An entry of OpenRouter's model list; `unknown[]` lists may carry malformed entries on purpose. */
export interface StandinCatalogModel {
  id: string;
  name?: string;
  context_length?: number;
  pricing?: { prompt: string; completion: string };
  architecture?: { input_modalities: string[] };
}

/**
 * The catalog served by default: the models Parley offers by default (with the context lengths of its built-in
 * list, so budgets are as without a catalog) and two paid ones the default allow-list leaves out.
 */
export const STANDIN_CATALOG: StandinCatalogModel[] = [
  { id: "standin-local", name: "Stand-in local", context_length: 4096 },
  ...(
    [
      ["meta-llama/llama-3.3-70b-instruct:free", "Llama 3.3 70B Instruct", 131_072, "0", "0"],
      ["deepseek/deepseek-r1-0528:free", "DeepSeek R1 0528", 163_840, "0", "0"],
      ["qwen/qwen3-coder:free", "Qwen3 Coder", 262_144, "0", "0"],
      ["anthropic/claude-sonnet-4", "Anthropic: Claude Sonnet 4", 200_000, "0.000003", "0.000015"],
      ["openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", 128_000, "0.00000015", "0.0000006"],
    ] as const
  ).map(([id, name, context_length, prompt, completion]) => ({
    id,
    name,
    context_length,
    pricing: { prompt, completion },
    architecture: { input_modalities: ["text"] },
  })),
];

export interface OpenRouterStandin {
  /** What OPENROUTER_BASE_URL should be set to (ends in /api/v1). */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Changes the behaviour of every following request. */
  setScript(changes: Partial<StandinScript>): void;
  /** The next request (only) behaves like this; queued scripts are used in order. */
  once(changes: Partial<StandinScript>): void;
  /**
   * Requests `match` accepts are answered with this script (over the current one) and never take a queued
   * `once`: how background requests (a chat's title) stay apart from the turns a test scripts. The last rule
   * given for a name replaces the earlier one; `undefined` removes it.
   */
  answer(name: string, match: ((body: ChatRequestBody) => boolean) | undefined, changes?: Partial<StandinScript>): void;
  /** What `GET …/models` answers from now on: a list (any shape, for malformed entries) or an HTTP failure. */
  setCatalog(catalog: { models?: unknown[]; failStatus?: number }): void;
  /** How many times the model list was asked for. */
  catalogRequests(): number;
  /** Resolves when a request has arrived (count = total requests seen). */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** An OpenRouter model the app offers by default: sessions using it are answered by the stand-in. */
export const STANDIN_MODEL = "meta-llama/llama-3.3-70b-instruct:free";

export const DEFAULT_SCRIPT: StandinScript = {
  reply: "Hello from the stand-in.",
  ttftMs: 0,
  tokenDelayMs: 0,
  chunkWords: 1,
  processingComments: 1,
};

/** Words with their following whitespace, so chunks concatenate back to the exact reply. */
function chunksOf(text: string, words: number): string[] {
  const parts = text.match(/\S+\s*|\s+/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < parts.length; i += words) chunks.push(parts.slice(i, i + words).join(""));
  return chunks;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startOpenRouterStandin(
  options: { port?: number; script?: Partial<StandinScript>; catalog?: unknown[] } = {},
): Promise<OpenRouterStandin> {
  let catalog: { models: unknown[]; failStatus?: number } = { models: options.catalog ?? STANDIN_CATALOG };
  let catalogRequests = 0;
  let script: StandinScript = { ...DEFAULT_SCRIPT, ...options.script };
  const queue: StandinScript[] = [];
  const rules = new Map<string, { match: (body: ChatRequestBody) => boolean; changes: Partial<StandinScript> }>();
  const requests: RecordedRequest[] = [];
  const waiters: Array<() => void> = [];
  const releases: Array<() => void> = [];
  // Held replies for the next streamed requests (a chat's title, asked without streaming, never takes one).
  const holds: NonNullable<StandinScript["pause"]>[] = [];
  let counter = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");

    if (req.method === "GET" && url.pathname.endsWith("/models")) {
      catalogRequests++;
      if (catalog.failStatus) {
        res.writeHead(catalog.failStatus, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: catalog.failStatus, message: "Model list unavailable (stand-in)" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: catalog.models }));
      return;
    }
    // Test control over HTTP, for a stand-in in another process (the e2e server's): the next streamed reply
    // holds before chunk `beforeChunk` until `/__standin/release` (tests/e2e/chat-reattach.spec.ts).
    if (req.method === "POST" && url.pathname === "/__standin/hold") {
      const held = { open: () => {} };
      const until = new Promise<void>((resolve) => (held.open = resolve));
      releases.push(held.open);
      holds.push({ beforeChunk: Number(url.searchParams.get("beforeChunk") ?? 3), until });
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/__standin/release") {
      for (const open of releases.splice(0)) open();
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method !== "POST" || !url.pathname.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: 404, message: "Not found" } }));
      return;
    }
    let body: ChatRequestBody = {};
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: 400, message: "Invalid JSON" } }));
      return;
    }
    requests.push({
      method: req.method,
      path: url.pathname,
      authorization: req.headers.authorization,
      body,
      receivedAt: Date.now(),
    });
    for (const wake of waiters.splice(0)) wake();
    const rule = [...rules.values()].find((r) => r.match(body));
    let current = rule ? { ...script, failure: undefined, ...rule.changes } : (queue.shift() ?? script);
    const hold = body.stream === true ? holds.shift() : undefined;
    if (hold) current = { ...current, pause: hold };
    const id = `gen-standin-${++counter}`;
    const model = typeof body.model === "string" ? body.model : "unknown";

    if (current.failure?.kind === "http") {
      if (current.ttftMs) await sleep(current.ttftMs);
      res.writeHead(current.failure.status, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { code: current.failure.status, message: current.failure.message ?? "Upstream failure (stand-in)" },
        }),
      );
      return;
    }

    const usage = current.usage ?? {
      prompt_tokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4),
      completion_tokens: Math.ceil((current.reply.length + (current.reasoning?.length ?? 0)) / 4),
    };
    const accounting = (body.usage as { include?: unknown } | undefined)?.include === true;
    const usageFrame = {
      ...usage,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      ...(accounting ? { cost: current.cost ?? 0 } : {}),
    };

    if (!body.stream) {
      if (current.ttftMs) await sleep(current.ttftMs);
      if (current.pause) await current.pause.until;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: current.reply,
                ...(current.reasoning ? { reasoning: current.reasoning } : {}),
              },
              finish_reason: "stop",
            },
          ],
          usage: usageFrame,
        }),
      );
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    let closed = false;
    res.on("close", () => (closed = true));
    const write = (text: string) => {
      if (!closed) res.write(text);
    };
    const frame = (payload: unknown) => write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, string>, finish: string | null = null) =>
      frame({
        id,
        object: "chat.completion.chunk",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });

    for (let i = 0; i < current.processingComments; i++) write(": OPENROUTER PROCESSING\n\n");
    if (current.ttftMs) await sleep(current.ttftMs);

    const deltas: Array<Record<string, string>> = [
      ...(current.reasoning ? chunksOf(current.reasoning, current.chunkWords).map((r) => ({ reasoning: r })) : []),
      ...chunksOf(current.reply, current.chunkWords).map((c, i): Record<string, string> =>
        i === 0 ? { role: "assistant", content: c } : { content: c },
      ),
    ];
    const failure = current.failure;
    for (let i = 0; i < deltas.length; i++) {
      if (current.pause?.beforeChunk === i) await current.pause.until;
      if (closed) return;
      if (failure && failure.afterChunks === i) {
        if (failure.kind === "mid-stream") {
          frame({
            id,
            object: "chat.completion.chunk",
            model,
            error: { code: 502, message: failure.message ?? "Provider error (stand-in)" },
            choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
          });
          write("data: [DONE]\n\n");
          res.end();
          return;
        }
        if (failure.kind === "stall") return; // keep the connection open, send nothing more
        if (failure.kind === "malformed") write("data: {this is not json\n\n");
      }
      if (i > 0 && current.tokenDelayMs) await sleep(current.tokenDelayMs);
      chunk(deltas[i]);
    }
    if (failure && failure.kind === "stall" && failure.afterChunks >= deltas.length) return;
    chunk({}, "stop");
    frame({ id, object: "chat.completion.chunk", model, choices: [], usage: usageFrame });
    write("data: [DONE]\n\n");
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    port,
    requests,
    setScript(changes) {
      script = { ...script, ...changes };
    },
    once(changes) {
      queue.push({ ...script, failure: undefined, ...changes });
    },
    answer(name, match, changes = {}) {
      if (match) rules.set(name, { match, changes });
      else rules.delete(name);
    },
    setCatalog(next) {
      catalog = { models: next.models ?? catalog.models, failStatus: next.failStatus };
    },
    catalogRequests: () => catalogRequests,
    waitForRequests(count, timeoutMs = 5_000) {
      return new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`stand-in: expected ${count} requests, saw ${requests.length}`)),
          timeoutMs,
        );
        const check = () => {
          if (requests.length >= count) {
            clearTimeout(deadline);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    close() {
      for (const open of releases.splice(0)) open();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Standalone: node tests/support/openrouter-standin.ts --port 3599 --ttft 100 --token-delay 10 --reply "…"
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const standin = await startOpenRouterStandin({
    port: Number(arg("port") ?? 3599),
    script: {
      ttftMs: Number(arg("ttft") ?? 50),
      tokenDelayMs: Number(arg("token-delay") ?? 10),
      ...(arg("reply")
        ? { reply: arg("reply") }
        : { reply: "Here is a **streamed** reply from the stand-in.\n\n- one\n- two\n\n```js\nconsole.log(1);\n```" }),
      ...(arg("reasoning") ? { reasoning: arg("reasoning") } : {}),
    },
  });
  console.log(`OpenRouter stand-in listening: OPENROUTER_BASE_URL=${standin.baseUrl}`);
  const stop = () => void standin.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
