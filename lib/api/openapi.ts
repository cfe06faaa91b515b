import { z } from "zod";
import { memoryStateSchema } from "@/lib/memory/state";
import { chatResponse, errorSchema } from "./response-schemas";
import { chatBody, createChatBody, historyQuery, listChatsQuery, updateChatBody } from "@/lib/chats/schemas";
import { chatViewSchema, historyMessageSchema } from "@/lib/chats/views";
import packageJson from "@/package.json";
import {
  modelInfoSchema,
  projectCreateSchema,
  projectListQuerySchema,
  projectSchema,
  projectUpdateSchema,
} from "@/lib/projects/schemas";
import {
  authResponseSchema,
  loginRequestSchema,
  refreshRequestSchema,
  resetPasswordConfirmSchema,
  resetPasswordRequestSchema,
  signupRequestSchema,
  tokenResponseSchema,
} from "@/lib/auth/schemas";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas that validate the requests (never written
 * by hand a second time). Every route of the contract is an entry of `apiRoutes`; a test checks that each
 * `app/api/v1/**∕route.ts` on disk has one, so a new route cannot be left out.
 *
 * Request schemas are imported from the modules whose routes validate with them; the response shapes below
 * and the view shapes (lib/chats/views.ts)
 * are the very schemas the routes' answers are typed from.
 */

type Method = "get" | "post" | "patch" | "delete";

interface ResponseSpec {
  description: string;
  /** Name of a component schema, or an inline zod schema. */
  schema?: string | z.ZodType;
  contentType?: string;
  headers?: Record<string, { description: string }>;
}

export interface ApiRoute {
  method: Method;
  /** OpenAPI path template, e.g. /api/v1/project/{id}. */
  path: string;
  summary: string;
  tag: "health" | "auth" | "projects" | "sessions" | "meta";
  /** Whether a Bearer token (or the session cookie) is required. */
  auth: boolean;
  query?: z.ZodObject;
  /** Name of a component schema for the JSON request body. */
  body?: string;
  responses: Record<number, ResponseSpec>;
}

/** Component schemas, and whether they describe what clients send (input) or what they receive (output). */
const components: Record<string, { schema: z.ZodType; io: "input" | "output" }> = {
  Error: { schema: errorSchema, io: "output" },
  Project: { schema: projectSchema, io: "output" },
  ProjectList: { schema: z.array(projectSchema), io: "output" },
  ProjectCreate: { schema: projectCreateSchema, io: "input" },
  ProjectUpdate: { schema: projectUpdateSchema, io: "input" },
  ModelInfoList: { schema: z.array(modelInfoSchema), io: "output" },
  SignupRequest: { schema: signupRequestSchema, io: "input" },
  LoginRequest: { schema: loginRequestSchema, io: "input" },
  RefreshRequest: { schema: refreshRequestSchema, io: "input" },
  ResetPasswordRequest: { schema: resetPasswordRequestSchema, io: "input" },
  ResetPasswordConfirm: { schema: resetPasswordConfirmSchema, io: "input" },
  AuthResponse: { schema: authResponseSchema, io: "output" },
  Token: { schema: tokenResponseSchema, io: "output" },
  Session: { schema: chatViewSchema, io: "output" },
  SessionList: { schema: z.array(chatViewSchema), io: "output" },
  SessionCreate: { schema: createChatBody, io: "input" },
  SessionUpdate: { schema: updateChatBody, io: "input" },
  ChatRequest: { schema: chatBody, io: "input" },
  ChatResponse: { schema: chatResponse, io: "output" },
  History: { schema: z.array(historyMessageSchema), io: "output" },
  MemoryState: { schema: memoryStateSchema, io: "output" },
};

const nextCursorHeader = { "X-Next-Cursor": { description: "Cursor of the next page, absent on the last page" } };
const ok = (schema: string, description = "OK"): ResponseSpec => ({ description, schema });
const noContent: ResponseSpec = { description: "Done, no body" };
/** Temporary: the server is shutting down, or its database is not answering; retry after `Retry-After`. */
const unavailable: ResponseSpec = { description: "Briefly unavailable (`unavailable:server` while restarting, `unavailable:database`); retry", schema: "Error" };
const idPath = (base: string) => `${base}/{id}`;
/** A quota of lib/config/env.ts: 409, not 429, since waiting does not help; deleting something does. */
const limitReached = (code: string, what: string, variable: string): ResponseSpec => ({
  description: `\`${code}\`: ${what} (\`${variable}\`); nothing was created`,
  schema: "Error",
});
const sendConflict: ResponseSpec = {
  description: "`conflict:generation`: a reply is still being generated in this chat; `limit:messages`: the chat holds `MAX_MESSAGES_PER_SESSION` messages. Nothing was stored",
  schema: "Error",
};
const rateLimited = (what: string): ResponseSpec => ({
  description: `Rate limited (${what}); nothing was done`,
  schema: "Error",
  headers: { "Retry-After": { description: "Seconds to wait before trying again" } },
});

export const apiRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/health",
    summary: "Health of the app and its database",
    tag: "health",
    auth: false,
    responses: { 200: { description: "Healthy", schema: z.object({ status: z.literal("healthy"), version: z.string(), database: z.literal("ok") }) }, 503: { description: "The database does not answer" } },
  },
  { method: "get", path: "/api/v1/openapi.json", summary: "This document", tag: "meta", auth: false, responses: { 200: { description: "OpenAPI 3.1 document", schema: z.looseObject({ openapi: z.string() }) } } },

  { method: "post", path: "/api/v1/auth/signup", summary: "Create an account", tag: "auth", auth: false, body: "SignupRequest", responses: { 201: ok("AuthResponse", "Created; the session cookie is set too"), 409: { description: "Email taken", schema: "Error" }, 429: rateLimited("sign-ups per client address") } },
  { method: "post", path: "/api/v1/auth/login", summary: "Sign in", tag: "auth", auth: false, body: "LoginRequest", responses: { 200: ok("AuthResponse"), 401: { description: "Invalid email or password", schema: "Error" }, 429: rateLimited("failed logins per email or client address") } },
  { method: "post", path: "/api/v1/auth/refresh", summary: "Rotate a refresh token", tag: "auth", auth: false, body: "RefreshRequest", responses: { 200: ok("Token"), 401: { description: "Refresh token invalid or reused", schema: "Error" } } },
  { method: "post", path: "/api/v1/auth/logout", summary: "Sign out: ends server-side the session that the refresh token (body or cookie) and the access token (bearer or cookie) name; its access tokens stop working at once", tag: "auth", auth: false, responses: { 204: { description: "The session is ended (or already was); the session cookies are cleared" }, 401: { description: "The only credential sent is an access token that names no session (forged, malformed); the cookies are cleared", schema: "Error" }, 502: { description: "The sign-in service (Supabase) failed to end the session", schema: "Error" } } },
  { method: "post", path: "/api/v1/auth/reset-password", summary: "Request a password reset link", tag: "auth", auth: false, body: "ResetPasswordRequest", responses: { 200: { description: "Same answer whether or not the account exists", schema: z.object({ message: z.string() }) }, 429: rateLimited("reset requests per email") } },
  { method: "post", path: "/api/v1/auth/reset-password/confirm", summary: "Set a new password with the token from the reset link (single use, 30 minutes)", tag: "auth", auth: false, body: "ResetPasswordConfirm", responses: { 200: { description: "Password changed; every session of the account is ended", schema: z.object({ message: z.string() }) }, 400: { description: "Token invalid, expired or already used", schema: "Error" } } },
  { method: "get", path: "/api/v1/auth/session-check", summary: "Whether the credentials are valid", tag: "auth", auth: true, responses: { 200: { description: "Valid", schema: z.object({ valid: z.literal(true), user_id: z.uuid(), email: z.string() }) } } },

  { method: "get", path: "/api/v1/project", summary: "The caller's projects, most recently active first", tag: "projects", auth: true, query: projectListQuerySchema, responses: { 200: { description: "A page of projects", schema: "ProjectList", headers: nextCursorHeader } } },
  { method: "post", path: "/api/v1/project", summary: "Create a project", tag: "projects", auth: true, body: "ProjectCreate", responses: { 201: ok("Project", "Created"), 409: limitReached("limit:projects", "the caller has the most projects allowed", "MAX_PROJECTS_PER_USER") } },
  { method: "get", path: "/api/v1/project/available-models", summary: "Models a project or chat can use", tag: "projects", auth: true, responses: { 200: ok("ModelInfoList") } },
  { method: "get", path: idPath("/api/v1/project"), summary: "One project", tag: "projects", auth: true, responses: { 200: ok("Project") } },
  { method: "patch", path: idPath("/api/v1/project"), summary: "Change a project (updated_at is set by the server)", tag: "projects", auth: true, body: "ProjectUpdate", responses: { 200: ok("Project") } },
  { method: "delete", path: idPath("/api/v1/project"), summary: "Delete a project with its chats and messages", tag: "projects", auth: true, responses: { 204: noContent } },

  { method: "post", path: "/api/v1/sessions", summary: "Start a chat in a project", tag: "sessions", auth: true, body: "SessionCreate", responses: { 201: ok("Session", "Created"), 404: { description: "The project is not the caller's, or does not exist", schema: "Error" }, 409: limitReached("limit:sessions", "the project has the most chats allowed", "MAX_SESSIONS_PER_PROJECT") } },
  { method: "get", path: "/api/v1/sessions", summary: "The caller's chats, most recently active first", tag: "sessions", auth: true, query: listChatsQuery, responses: { 200: { description: "A page of chats", schema: "SessionList", headers: nextCursorHeader } } },
  { method: "get", path: idPath("/api/v1/sessions"), summary: "One chat, with its memory state", tag: "sessions", auth: true, responses: { 200: ok("Session") } },
  { method: "patch", path: idPath("/api/v1/sessions"), summary: "Rename a chat or change its model", tag: "sessions", auth: true, body: "SessionUpdate", responses: { 200: ok("Session") } },
  { method: "delete", path: idPath("/api/v1/sessions"), summary: "Delete a chat", tag: "sessions", auth: true, responses: { 204: noContent } },
  { method: "get", path: "/api/v1/sessions/{id}/history", summary: "Messages of a chat, oldest first", tag: "sessions", auth: true, query: historyQuery, responses: { 200: { description: "Messages", schema: "History", headers: nextCursorHeader } } },
  { method: "get", path: "/api/v1/sessions/{id}/memory", summary: "The chat's memory: summary, what it covers, its status", tag: "sessions", auth: true, responses: { 200: ok("MemoryState") } },
  { method: "post", path: "/api/v1/sessions/{id}/chat", summary: "Send a message and wait for the whole reply", tag: "sessions", auth: true, body: "ChatRequest", responses: { 200: ok("ChatResponse"), 409: sendConflict, 429: rateLimited("messages per user per minute"), 502: { description: "The model failed", schema: "Error" }, 503: unavailable } },
  { method: "post", path: "/api/v1/sessions/{id}/chat/stream", summary: "Send a message and stream the reply (Server-Sent Events)", tag: "sessions", auth: true, body: "ChatRequest", responses: { 200: { description: "text/event-stream: `data: <text>` per delta, `event: error` on failure, then `data: [DONE]`", contentType: "text/event-stream", schema: z.string() }, 409: sendConflict, 429: rateLimited("messages per user per minute"), 503: unavailable } },
];

type JsonObject = Record<string, unknown>;

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonObject {
  // OpenAPI 3.1 uses JSON Schema 2020-12 as its default dialect, so the document carries no $schema per schema.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonObject;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function schemaRef(spec: string | z.ZodType): JsonObject {
  return typeof spec === "string" ? ref(spec) : jsonSchemaOf(spec, "output");
}

const commonErrors: Record<number, string> = {
  400: "The body is not valid JSON",
  413: "The body is larger than 1 MiB",
  415: "The body is not JSON",
  422: "The input is invalid",
};

function operationOf(route: ApiRoute): JsonObject {
  const parameters: JsonObject[] = [];
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: "path", required: true, schema: { type: "string", format: "uuid" } });
  }
  if (route.query) {
    for (const [name, field] of Object.entries(route.query.shape)) {
      const schema = jsonSchemaOf(field as z.ZodType, "input");
      const { description, ...rest } = schema;
      parameters.push({ name, in: "query", required: !(field as z.ZodType).safeParse(undefined).success, schema: rest, ...(description ? { description } : {}) });
    }
  }
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.headers ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([name, h]) => [name, { description: h.description, schema: { type: "string" } }])) } : {}),
      ...(spec.schema ? { content: { [spec.contentType ?? "application/json"]: { schema: schemaRef(spec.schema) } } } : {}),
    };
  }
  const error = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
  if (route.auth) responses["401"] ??= error("Not authenticated");
  if (route.path.includes("{")) responses["404"] ??= error("Not found (also: not the caller's, or a malformed id)");
  if (route.body) for (const [status, description] of Object.entries(commonErrors)) responses[status] ??= error(description);
  else if (route.query) responses["422"] ??= error("Invalid query parameters");
  return {
    operationId: `${route.method}${route.path.replace(/[^a-zA-Z0-9]+(\w)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth ? {} : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: ref(route.body) } } } } : {}),
    responses,
  };
}

let cached: JsonObject | undefined;

export function buildOpenApiDocument(): JsonObject {
  if (cached) return cached;
  const paths: Record<string, JsonObject> = {};
  for (const route of apiRoutes) {
    (paths[route.path] ??= {})[route.method] = operationOf(route);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Parley REST API",
      version: packageJson.version,
      description: "The ChatBot Platform API, kept for existing clients. Lists paginate with ?limit= and ?cursor=; the next cursor is in the X-Next-Cursor header.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    tags: [
      { name: "projects", description: "Projects with their own system prompts" },
      { name: "sessions", description: "Chats inside projects" },
      { name: "auth", description: "Accounts and tokens" },
      { name: "health" },
      { name: "meta" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "access_token from login, signup or refresh; the browser's session cookie also works" },
      },
      schemas: Object.fromEntries(Object.entries(components).map(([name, { schema, io }]) => [name, jsonSchemaOf(schema, io)])),
    },
  };
  return cached;
}
