import * as collection from "@/app/api/v1/project/route";
import * as item from "@/app/api/v1/project/[id]/route";
import * as models from "@/app/api/v1/project/available-models/route";

/**
 * Calls the project route handlers as Next would, so tests exercise the real handlers (auth, parsing, errors)
 * without a server. `body` objects are sent as JSON; strings are sent as they are.
 */
export const BASE = "http://localhost/api/v1/project";

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
}

function requestOf(method: string, url: string, { headers = {}, body, query }: CallOptions): Request {
  const target = new URL(url);
  for (const [key, value] of Object.entries(query ?? {})) target.searchParams.set(key, value);
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  return new Request(target, init);
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

export const projectApi = {
  list: (options: CallOptions = {}) => collection.GET(requestOf("GET", BASE, options)),
  create: (options: CallOptions = {}) => collection.POST(requestOf("POST", BASE, options)),
  models: (options: CallOptions = {}) => models.GET(requestOf("GET", `${BASE}/available-models`, options)),
  get: (id: string, options: CallOptions = {}) => item.GET(requestOf("GET", `${BASE}/${id}`, options), params(id)),
  update: (id: string, options: CallOptions = {}) => item.PATCH(requestOf("PATCH", `${BASE}/${id}`, options), params(id)),
  remove: (id: string, options: CallOptions = {}) => item.DELETE(requestOf("DELETE", `${BASE}/${id}`, options), params(id)),
};
