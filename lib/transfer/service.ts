import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { parseParams, readTextLimited, tooLarge } from "@/lib/api/http";
import { getConfig } from "@/lib/config/env";
import { getSessionWithProject } from "@/lib/db/queries/sessions";
import { consumeImport } from "@/lib/rate-limit/policy";
import { accountExport, chatExport, textStream } from "./export";
import { importData } from "./import";
import { chatExportQuery, importQuery, type ImportResult } from "./schemas";
import { chatMarkdown, safeFileName } from "./markdown";

/**
 * What the export and import routes call: a download (a streamed body with its headers) or an import result.
 * The routes stay thin; ownership is checked here before a single byte of a download is produced.
 */

export interface Download {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  fileName: string;
}

export function downloadResponse({ body, contentType, fileName }: Download): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      // The name is ASCII by construction (safeFileName): no quoting or RFC 5987 encoding needed.
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export function exportAccount(ownerId: string, now = new Date()): Download {
  return {
    body: textStream(accountExport(ownerId, now), "account export"),
    contentType: "application/json; charset=utf-8",
    fileName: `parley-export-${now.toISOString().slice(0, 10)}.json`,
  };
}

/** One chat: `not_found:session` before anything is streamed when it is not the caller's. */
export async function exportChat(ownerId: string, chatId: string, query: unknown): Promise<Download> {
  const { format } = parseParams(chatExportQuery, query, "query");
  const found = await getSessionWithProject(ownerId, chatId);
  if (!found) throw notFound("session");
  const { session, project } = found;
  if (format === "json")
    return {
      body: textStream(chatExport(ownerId, project, session), "chat export"),
      contentType: "application/json; charset=utf-8",
      fileName: safeFileName(session.title, "json"),
    };
  return {
    body: textStream(chatMarkdown(ownerId, project, session), "chat export"),
    contentType: "text/markdown; charset=utf-8",
    fileName: safeFileName(session.title, "md"),
  };
}

const SURFACE = "import";

/**
 * Reads an import body (JSON, at most IMPORT_MAX_BYTES, counted as it arrives) and imports it. A declared
 * Content-Length over the limit is refused before reading; every attempt takes one of the user's imports per hour
 * (RATE_LIMIT_IMPORTS_PER_HOUR) first.
 */
export async function importFrom(ownerId: string, request: Request, query: unknown): Promise<ImportResult> {
  const { project_id } = parseParams(importQuery, query, "query");
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim()))
    throw new ApiError("unsupported_media_type", SURFACE, "Send the file as the body with Content-Type: application/json");
  await consumeImport(ownerId);
  const limit = getConfig().importMaxBytes;
  if (Number(request.headers.get("content-length") ?? "0") > limit) throw tooLarge(SURFACE, limit);
  const text = await readTextLimited(request, SURFACE, limit);
  let data: unknown;
  try {
    // A byte-order mark is what some editors save JSON with; JSON.parse refuses it.
    data = JSON.parse(text.replace(/^\ufeff/, ""));
  } catch {
    throw new ApiError("bad_request", SURFACE, "Nothing was imported: the file is not valid JSON");
  }
  return importData(ownerId, data, { intoProjectId: project_id });
}
