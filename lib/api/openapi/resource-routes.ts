import { z } from "zod";
import { historyQuery, listChatsQuery } from "@/lib/chats/schemas";
import { projectListQuerySchema } from "@/lib/projects/schemas";
import { searchQuery } from "@/lib/search/schemas";
import { usageQueryFields } from "@/lib/usage/schemas";
import {
  budgetExceeded,
  pendingApproval,
  nextCursorHeader,
  ok,
  noContent,
  unavailable,
  idPath,
  limitReached,
  sendConflict,
  sendInvalid,
  idempotencyKey,
  rateLimited,
  type ApiRoute,
} from "./route-spec";

/** Projects and chats (`/sessions` at the REST boundary). */
export const resourceRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/project",
    summary: "The caller's projects, most recently active first",
    tag: "projects",
    auth: true,
    query: projectListQuerySchema,
    responses: { 200: { description: "A page of projects", schema: "ProjectList", headers: nextCursorHeader } },
  },
  {
    method: "post",
    path: "/api/v1/project",
    summary: "Create a project",
    tag: "projects",
    auth: true,
    body: "ProjectCreate",
    responses: {
      201: ok("Project", "Created"),
      409: limitReached("limit:projects", "the caller has the most projects allowed", "MAX_PROJECTS_PER_USER"),
    },
  },
  {
    method: "get",
    path: "/api/v1/project/available-models",
    summary: "Models a project or chat can use",
    tag: "projects",
    auth: true,
    responses: { 200: ok("ModelInfoList") },
  },
  {
    method: "get",
    path: idPath("/api/v1/project"),
    summary: "One project",
    tag: "projects",
    auth: true,
    responses: { 200: ok("Project") },
  },
  {
    method: "patch",
    path: idPath("/api/v1/project"),
    summary: "Change a project (updated_at is set by the server)",
    tag: "projects",
    auth: true,
    body: "ProjectUpdate",
    responses: { 200: ok("Project") },
  },
  {
    method: "delete",
    path: idPath("/api/v1/project"),
    summary: "Delete a project with its chats and messages",
    tag: "projects",
    auth: true,
    responses: { 204: noContent },
  },

  {
    method: "post",
    path: "/api/v1/sessions",
    summary: "Start a chat in a project",
    tag: "sessions",
    auth: true,
    body: "SessionCreate",
    responses: {
      201: ok("Session", "Created"),
      404: { description: "The project is not the caller's, or does not exist", schema: "Error" },
      409: limitReached("limit:sessions", "the project has the most chats allowed", "MAX_SESSIONS_PER_PROJECT"),
    },
  },
  {
    method: "get",
    path: "/api/v1/sessions",
    summary: "The caller's chats, most recently active first (archived ones only with `?archived=true`)",
    tag: "sessions",
    auth: true,
    query: listChatsQuery,
    responses: { 200: { description: "A page of chats", schema: "SessionList", headers: nextCursorHeader } },
  },
  {
    method: "get",
    path: idPath("/api/v1/sessions"),
    summary: "One chat, with its memory state",
    tag: "sessions",
    auth: true,
    responses: { 200: ok("Session") },
  },
  {
    method: "patch",
    path: idPath("/api/v1/sessions"),
    summary: "Rename a chat, change its model, pin or archive it",
    tag: "sessions",
    auth: true,
    body: "SessionUpdate",
    responses: { 200: ok("Session") },
  },
  {
    method: "delete",
    path: idPath("/api/v1/sessions"),
    summary: "Delete a chat",
    tag: "sessions",
    auth: true,
    responses: { 204: noContent },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/history",
    summary: "Messages of a chat, oldest first",
    tag: "sessions",
    auth: true,
    query: historyQuery,
    responses: {
      200: {
        description:
          "Messages: by default the active path (the branch the chat shows, root to active leaf), each with its `versions`; `view=tree` gives every message of every branch by seq, with `parent_id`",
        schema: "History",
        headers: nextCursorHeader,
      },
    },
  },
  {
    method: "put",
    path: "/api/v1/sessions/{id}/active-leaf",
    summary: "Choose the branch the chat shows and continues (a version of a message)",
    tag: "sessions",
    auth: true,
    body: "ActiveLeafRequest",
    responses: { 200: ok("ActiveLeaf") },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/memory",
    summary: "The chat's memory: summary, what it covers, its status",
    tag: "sessions",
    auth: true,
    responses: { 200: ok("MemoryState") },
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/chat",
    summary: "Send a message (or an edit of one, or regenerate a reply) and wait for the whole reply",
    tag: "sessions",
    auth: true,
    body: "ChatRequest",
    requestHeaders: idempotencyKey,
    responses: {
      200: ok(
        "ChatResponse",
        "The reply. A retry with the `client_message_id` of a send already stored gets that turn's answer again (same ids; no new message, no model call)",
      ),
      402: budgetExceeded,
      403: pendingApproval,
      409: sendConflict,
      422: sendInvalid,
      429: rateLimited("messages per user per minute"),
      502: { description: "The model failed", schema: "Error" },
      503: unavailable,
    },
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/chat/stream",
    summary: "Send a message (or an edit of one, or regenerate a reply) and stream the reply (Server-Sent Events)",
    tag: "sessions",
    auth: true,
    body: "ChatRequest",
    requestHeaders: idempotencyKey,
    responses: {
      200: {
        description:
          "text/event-stream: `data: <text>` per delta (its `id:` is the reply's length so far, for `Last-Event-ID`), `event: error` on failure, then `data: [DONE]`. A retry with the `client_message_id` of a send already stored gets that turn's reply in the same events: live while it is generated, else as stored (no new message, no model call)",
        contentType: "text/event-stream",
        schema: z.string(),
      },
      402: budgetExceeded,
      403: pendingApproval,
      409: sendConflict,
      422: sendInvalid,
      429: rateLimited("messages per user per minute"),
      503: unavailable,
    },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/chat/stream",
    summary:
      "Reattach to the reply being generated (reload, another device or instance): from its start, or after the `Last-Event-ID` request header",
    tag: "sessions",
    auth: true,
    responses: {
      200: {
        description:
          "text/event-stream as the POST's: the text so far (after `Last-Event-ID`) in the first event, then live deltas, `event: error` if the reply failed, then `data: [DONE]`. If live tokens are unavailable, the text arrives once the reply is stored",
        contentType: "text/event-stream",
        schema: z.string(),
      },
      204: { description: "No reply is being generated in this chat" },
    },
  },
  {
    method: "get",
    path: "/api/v1/search",
    summary: "Chats whose title or messages match q: newest match first, one row per chat with its best message",
    tag: "search",
    auth: true,
    query: searchQuery,
    responses: {
      200: {
        description:
          "A page of matching chats. A chat whose matches span pages can appear again on a later page with an older message",
        schema: "SearchResultList",
        headers: nextCursorHeader,
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/usage",
    summary:
      "The caller's tokens and cost (replies, titles, summaries) over UTC days [from, to], grouped by day, model or project",
    tag: "usage",
    auth: true,
    query: usageQueryFields,
    responses: {
      200: {
        description: 'Totals and groups; costs are USD as exact decimal strings summed by the database (e.g. "0.000246912")',
        schema: "UsageReport",
      },
    },
  },
];
