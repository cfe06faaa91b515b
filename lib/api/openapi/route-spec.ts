import type { z } from "zod";
import { IDEMPOTENCY_KEY_HEADER } from "@/lib/chats/schemas";

/** The shape of one entry of the OpenAPI route table, and the response descriptions the entries share. */

export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface ResponseSpec {
  description: string;
  /** Name of a component schema, or an inline zod schema. */
  schema?: string | z.ZodType;
  contentType?: string;
  /** Further content types of the same status (a query parameter chooses between them). */
  also?: { contentType: string; schema: string | z.ZodType }[];
  headers?: Record<string, { description: string }>;
}

export interface ApiRoute {
  method: Method;
  /** OpenAPI path template, e.g. /api/v1/project/{id}. */
  path: string;
  summary: string;
  tag: "health" | "auth" | "account" | "projects" | "sessions" | "search" | "usage" | "transfer" | "admin" | "meta";
  /** Whether a Bearer token (or the session cookie) is required. */
  auth: boolean;
  query?: z.ZodObject;
  /** Name of a component schema for the JSON request body. */
  body?: string;
  /** Optional request headers the route reads (each a string). */
  requestHeaders?: Record<string, { description: string }>;
  responses: Record<number, ResponseSpec>;
}

export const nextCursorHeader = { "X-Next-Cursor": { description: "Cursor of the next page, absent on the last page" } };
export const ok = (schema: string, description = "OK"): ResponseSpec => ({ description, schema });
export const noContent: ResponseSpec = { description: "Done, no body" };
/** Temporary: the server is shutting down, or its database is not answering; retry after `Retry-After`. */
export const unavailable: ResponseSpec = {
  description: "Briefly unavailable (`unavailable:server` while restarting, `unavailable:database`); retry",
  schema: "Error",
};
export const idPath = (base: string) => `${base}/{id}`;
/** A quota of lib/config/env.ts: 409, not 429, since waiting does not help; deleting something does. */
export const limitReached = (code: string, what: string, variable: string): ResponseSpec => ({
  description: `\`${code}\`: ${what} (\`${variable}\`); nothing was created`,
  schema: "Error",
});
export const sendConflict: ResponseSpec = {
  description:
    "`conflict:generation`: a reply is still being generated in this chat (also the answer to a retry of the send whose reply it is: retry later); `limit:messages`: the chat holds `MAX_MESSAGES_PER_SESSION` messages; `conflict:message`: a retry (same `client_message_id`) of a send whose turn is no longer the chat's latest. Nothing was stored",
  schema: "Error",
};
/** The chat sends' 422: any invalid input, and a client message id reused for another text. */
export const sendInvalid: ResponseSpec = {
  description:
    "The input is invalid (`validation:message`, also a bad `Idempotency-Key`); `validation:client_message_id`: this id was already used in this chat for a different text. Nothing was stored",
  schema: "Error",
};
/** The standard header for a retried POST; the chat sends take it as `client_message_id` (lib/chat/rest/route-helpers.ts). */
export const idempotencyKey = {
  [IDEMPOTENCY_KEY_HEADER]: {
    description: "The same as `client_message_id` (1–255 characters); both may be sent if equal. Not with `regenerate`",
  },
};
export const rateLimited = (what: string): ResponseSpec => ({
  description: `Rate limited (${what}); nothing was done`,
  schema: "Error",
  headers: { "Retry-After": { description: "Seconds to wait before trying again" } },
});
/** A send refused by the account's state, before the model is called (nothing stored). */
export const budgetExceeded: ResponseSpec = {
  description:
    "`budget_exceeded:chat`: the account's monthly budget (cost or tokens, set by an admin) is used up; nothing was stored and the model was not called. Do not retry before the next month (UTC) or an admin's change",
  schema: "Error",
};
export const pendingApproval: ResponseSpec = {
  description: "`forbidden:pending_approval`: the account waits for an admin's approval (sign-up policy `approval`)",
  schema: "Error",
};
