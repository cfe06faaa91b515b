/**
 * A client of Parley's public REST API (/api/v1) over real HTTP, for tests against a running server.
 */
import { randomInt, randomUUID } from "node:crypto";
import { STANDIN_MODEL } from "./openrouter-standin";
import { parseSse, streamedReply, type SseEvent, type StreamedReply } from "./sse";

export interface ApiUser {
  id: string;
  email: string;
  headers: Record<string, string>;
}

async function json<T>(response: Response, expected: number, what: string): Promise<T> {
  const body = await response.text();
  if (response.status !== expected)
    throw new Error(`${what}: expected ${expected}, got ${response.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

/** A client address in 10.0.0.0/8, as a reverse proxy would report it. */
const randomAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/**
 * Signs a new user up, from its own client address (`X-Forwarded-For`, believed with TRUST_PROXY=true): many
 * users from one test machine are then not one "address" for the sign-up limit.
 */
export async function signUp(baseUrl: string, options: { forwardedFor?: string } = {}): Promise<ApiUser> {
  const email = `resilience-${randomUUID()}@example.test`;
  const response = await fetch(`${baseUrl}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": options.forwardedFor ?? randomAddress() },
    body: JSON.stringify({ email, password: "correct horse battery staple" }),
  });
  const body = await json<{ user: { id: string }; token: { access_token: string } }>(response, 201, "signup");
  return { id: body.user.id, email, headers: { authorization: `Bearer ${body.token.access_token}` } };
}

async function post<T>(baseUrl: string, user: ApiUser, path: string, body: unknown, what: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { ...user.headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return json<T>(response, 201, what);
}

export function createProject(
  baseUrl: string,
  user: ApiUser,
  fields: { default_model?: string; memory_enabled?: boolean; memory_threshold?: number; memory_keep_recent?: number } = {},
): Promise<{ id: string }> {
  return post(
    baseUrl,
    user,
    "/api/v1/project",
    { project_name: "Resilience", default_model: STANDIN_MODEL, ...fields },
    "create project",
  );
}

export function createSession(
  baseUrl: string,
  user: ApiUser,
  projectId: string,
  chatModel = STANDIN_MODEL,
): Promise<{ id: string }> {
  return post(baseUrl, user, "/api/v1/sessions", { project_id: projectId, chat_model: chatModel }, "create session");
}

export interface StreamOutcome extends StreamedReply {
  status: number;
  /** The SSE events of a 200; empty otherwise. */
  events: SseEvent[];
  /** The `event: error` payload, or the JSON error body of a non-200 answer. */
  error?: { detail: string; code: string };
  /** Milliseconds until the response headers, and until the end of the body. */
  headersMs: number;
  totalMs: number;
}

/** POST /api/v1/sessions/{id}/chat/stream, read to its end. `onEvent` sees events as they arrive. */
export async function streamMessage(
  baseUrl: string,
  user: ApiUser,
  sessionId: string,
  /** The message's text, or the whole body (an edit: `{message, edit_of}`; a regenerate: `{regenerate: true}`). */
  message: string | Record<string, unknown>,
  onEvent?: (event: SseEvent) => void,
): Promise<StreamOutcome> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/v1/sessions/${sessionId}/chat/stream`, {
    method: "POST",
    headers: { ...user.headers, "content-type": "application/json" },
    body: JSON.stringify(typeof message === "string" ? { message } : message),
  });
  const headersMs = performance.now() - started;
  if (response.status !== 200) {
    const body = (await response.json().catch(() => ({}))) as { detail?: string; code?: string };
    return {
      status: response.status,
      events: [],
      text: "",
      error: { detail: body.detail ?? "", code: body.code ?? "" },
      done: false,
      headersMs,
      totalMs: performance.now() - started,
    };
  }
  const events = await parseSse(response, onEvent);
  return { status: 200, events, ...streamedReply(events), headersMs, totalMs: performance.now() - started };
}
