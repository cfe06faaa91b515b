// The benchmark's HTTP client: signs in through the real auth API, creates what it needs through the REST
// API, and times streams the way a client sees them (first token, gaps between tokens, end).
import { randomUUID } from "node:crypto";

/** The model the stand-in answers for (the first of Parley's default OpenRouter models). */
export const BENCH_MODEL = "meta-llama/llama-3.3-70b-instruct:free";

/**
 * A signed-in bench user: its id, and headers (or the bare access token) that stay fresh across a long run.
 * @typedef {{
 *   id: string,
 *   email: string,
 *   bearer: () => Promise<Record<string, string>>,
 *   cookie: () => Promise<Record<string, string>>,
 *   token: () => Promise<string>,
 * }} BenchUser
 */

/**
 * What a timed stream saw, in ms from the request.
 * @typedef {{ ttftMs: number, gapsMs: number[], totalMs: number, tokens: number }} StreamTiming
 */

/** @typedef {StreamTiming & { serverTiming: Record<string, number> | undefined }} ServerTurn */

/**
 * The parsed body; callers state its shape (the server's API, checked by its own tests).
 * @param {Response} response
 * @param {string} what
 * @returns {Promise<unknown>}
 */
async function json(response, what) {
  if (!response.ok) throw new Error(`[bench] ${what}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

/**
 * A user signed up and logged in through /api/v1/auth/*. Access tokens live 15 minutes, so `auth()` logs in
 * again when the token is 10 minutes old (a run at full size takes longer than one token's life).
 * @param {string} baseUrl
 * @returns {Promise<BenchUser>}
 */
export async function signUp(baseUrl, name = "bench") {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.test`;
  const password = "bench-password-123";
  const created = /** @type {{ user: { id: string } }} */ (
    await json(
      await fetch(`${baseUrl}/api/v1/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password, full_name: name }),
      }),
      "signup",
    )
  );
  let token = "";
  let issuedAt = 0;
  const login = async () => {
    const body = /** @type {{ token: { access_token: string } }} */ (
      await json(
        await fetch(`${baseUrl}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password }),
        }),
        "login",
      )
    );
    token = body.token.access_token;
    issuedAt = Date.now();
  };
  await login();
  const fresh = async () => {
    if (Date.now() - issuedAt > 10 * 60_000) await login();
    return token;
  };
  return {
    id: created.user.id,
    email,
    /** Headers for the REST API (Bearer). */
    bearer: async () => ({ authorization: `Bearer ${await fresh()}` }),
    /** Headers for the UI's routes and pages (the session cookie the login set). */
    cookie: async () => ({ cookie: `parley_access=${await fresh()}` }),
    token: fresh,
  };
}

/**
 * @param {string} baseUrl
 * @param {BenchUser} user
 * @returns {Promise<string>} the project's id
 */
export async function createProject(baseUrl, user, { name = "Bench project", memoryEnabled = false } = {}) {
  const body = /** @type {{ id: string }} */ (
    await json(
      await fetch(`${baseUrl}/api/v1/project`, {
        method: "POST",
        headers: { ...(await user.bearer()), "content-type": "application/json" },
        body: JSON.stringify({ project_name: name, memory_enabled: memoryEnabled, default_model: BENCH_MODEL }),
      }),
      "create project",
    )
  );
  return body.id;
}

/**
 * @param {string} baseUrl
 * @param {BenchUser} user
 * @param {string} projectId
 * @returns {Promise<string>} the session's id
 */
export async function createSession(baseUrl, user, projectId) {
  const body = /** @type {{ id: string }} */ (
    await json(
      await fetch(`${baseUrl}/api/v1/sessions`, {
        method: "POST",
        headers: { ...(await user.bearer()), "content-type": "application/json" },
        body: JSON.stringify({ project_id: projectId, chat_model: BENCH_MODEL }),
      }),
      "create session",
    )
  );
  return body.id;
}

/**
 * Reads an SSE response and times it: `isToken(data)` says which `data:` payloads are tokens. Returns the time
 * to the first token, the gaps between tokens, the total, and the token count (all in ms from `started`).
 * @param {Response} response
 * @param {number} started
 * @param {(data: string, event: string) => boolean} isToken
 * @returns {Promise<StreamTiming>}
 */
async function timeSse(response, started, isToken) {
  if (!response.body) throw new Error("[bench] a stream without a body");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let ttft = NaN;
  let last = NaN;
  let tokens = 0;
  /** @type {number[]} */
  const gaps = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const now = performance.now();
    buffered += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      if (!data || !isToken(data, event)) continue;
      tokens++;
      if (Number.isNaN(ttft)) ttft = now - started;
      else gaps.push(now - last);
      last = now;
    }
  }
  return { ttftMs: ttft, gapsMs: gaps, totalMs: performance.now() - started, tokens };
}

/** @param {string} data */
const directToken = (data) => {
  if (data === "[DONE]") return false;
  try {
    return Boolean(JSON.parse(data).choices?.[0]?.delta?.content);
  } catch {
    return false;
  }
};
/** @type {(data: string, event: string) => boolean} */
const restToken = (data, event) => data !== "[DONE]" && !event.startsWith("event:");
/** @param {string} data */
const uiToken = (data) => {
  try {
    const part = JSON.parse(data);
    return part.type === "text-delta" && Boolean(part.delta);
  } catch {
    return false;
  }
};

/**
 * @param {Response} response
 * @param {string} what
 */
async function checked(response, what) {
  if (response.status !== 200)
    throw new Error(`[bench] ${what}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/**
 * Straight to the stand-in, with the body shape the OpenRouter provider sends: the baseline.
 * @param {string} standinUrl
 * @param {string} text
 */
export async function directTurn(standinUrl, text) {
  const started = performance.now();
  const response = await fetch(`${standinUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-or-bench", "content-type": "application/json" },
    body: JSON.stringify({
      model: BENCH_MODEL,
      stream: true,
      stream_options: { include_usage: true },
      usage: { include: true },
      messages: [{ role: "user", content: text }],
    }),
  });
  return timeSse(await checked(response, "stand-in"), started, directToken);
}

/**
 * POST /api/v1/sessions/{id}/chat/stream (Bearer). Server-Timing, when sent, is returned as a map.
 * @param {string} baseUrl
 * @param {BenchUser} user
 * @param {string} sessionId
 * @param {string} text
 * @returns {Promise<ServerTurn>}
 */
export async function restTurn(baseUrl, user, sessionId, text) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/v1/sessions/${sessionId}/chat/stream`, {
    method: "POST",
    headers: { ...(await user.bearer()), "content-type": "application/json" },
    body: JSON.stringify({ message: text }),
  });
  const serverTiming = parseServerTiming(response.headers.get("server-timing"));
  return { ...(await timeSse(await checked(response, "REST stream"), started, restToken)), serverTiming };
}

/**
 * A REST stream turn with a watcher attached (#15): beside the POST, a second client reattaches to the reply
 * (`GET …/chat/stream`, retried while it answers 204, i.e. before the generation has started) and reads it to its
 * end. Timed from the sender's side, like restTurn: what a watcher costs the one who sent.
 * @param {string} baseUrl
 * @param {BenchUser} user
 * @param {string} sessionId
 * @param {string} text
 * @returns {Promise<ServerTurn>}
 */
export async function watchedTurn(baseUrl, user, sessionId, text) {
  let sent = false;
  const turn = restTurn(baseUrl, user, sessionId, text).finally(() => (sent = true));
  const headers = await user.bearer();
  const watch = (async () => {
    while (!sent) {
      const response = await fetch(`${baseUrl}/api/v1/sessions/${sessionId}/chat/stream`, { headers });
      if (response.status === 200) {
        await response.arrayBuffer();
        return;
      }
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const [timing] = await Promise.all([turn, watch]);
  return timing;
}

/**
 * POST /api/chat as the chat screen's useChat sends it (cookie session).
 * @param {string} baseUrl
 * @param {BenchUser} user
 * @param {string} sessionId
 * @param {string} text
 * @returns {Promise<ServerTurn>}
 */
export async function uiTurn(baseUrl, user, sessionId, text) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/chat`, {
    method: "POST",
    headers: { ...(await user.cookie()), "content-type": "application/json" },
    body: JSON.stringify({
      trigger: "submit-message",
      sessionId,
      message: { id: randomUUID(), role: "user", parts: [{ type: "text", text }] },
    }),
  });
  const serverTiming = parseServerTiming(response.headers.get("server-timing"));
  return { ...(await timeSse(await checked(response, "UI chat route"), started, uiToken)), serverTiming };
}

/**
 * `Server-Timing: a;dur=1.2, b;dur=3` → { a: 1.2, b: 3 }.
 * @param {string | null} header
 * @returns {Record<string, number> | undefined}
 */
export function parseServerTiming(header) {
  if (!header) return undefined;
  /** @type {Record<string, number>} */
  const out = {};
  for (const entry of header.split(",")) {
    const [name, ...params] = entry.trim().split(";");
    const dur = params.map((p) => /^\s*dur=([\d.]+)/.exec(p)).find(Boolean);
    if (name && dur) out[name.trim()] = Number(dur[1]);
  }
  return out;
}

/**
 * A GET timed to its last byte; throws unless 200.
 * @param {string} url
 * @param {Record<string, string>} headers
 */
export async function timedGet(url, headers) {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: "manual" });
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`[bench] GET ${url}: HTTP ${response.status}`);
  return { ms, bytes: body.byteLength, headers: response.headers };
}
