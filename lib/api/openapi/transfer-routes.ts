import { z } from "zod";
import { chatExportQuery, importQuery } from "@/lib/transfer/schemas";
import { limitReached, rateLimited, type ApiRoute } from "./route-spec";

const attachment = { "Content-Disposition": { description: 'attachment; filename="parley-….json|md"' } };

/** Export and import (lib/transfer). */
export const transferRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/export",
    summary: "Everything of yours (projects, chats, messages, memory summaries) as one Parley export, streamed",
    tag: "transfer",
    auth: true,
    responses: { 200: { description: "A `parley-export` document, version 1", schema: "ParleyExport", headers: attachment } },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/export",
    summary: "One chat as Markdown, or as a Parley export of its project with only this chat (JSON)",
    tag: "transfer",
    auth: true,
    query: chatExportQuery,
    responses: {
      200: {
        description: "format=markdown: the chat as Markdown; format=json: a `parley-export` document",
        contentType: "text/markdown",
        schema: z.string(),
        also: [{ contentType: "application/json", schema: "ParleyExport" }],
        headers: attachment,
      },
    },
  },
  {
    method: "post",
    path: "/api/v1/import",
    summary: "Import a Parley export or ChatGPT's conversations.json: all of it in one transaction, or nothing",
    tag: "transfer",
    auth: true,
    query: importQuery,
    body: "Import",
    responses: {
      201: { description: "Imported", schema: "ImportResult" },
      404: { description: "`project_id` is not a project of yours", schema: "Error" },
      409: limitReached("limit:projects|sessions|messages", "the import would pass a quota", "MAX_*"),
      413: { description: "The file is larger than `IMPORT_MAX_BYTES` (default 50 MiB)", schema: "Error" },
      429: rateLimited("`RATE_LIMIT_IMPORTS_PER_HOUR` imports per user per hour"),
      422: {
        description:
          "Not a file Parley reads, or a wrong field (`errors[].path` names it, e.g. `conversations[3].mapping.abc.parent`)",
        schema: "Error",
      },
    },
  },
];
