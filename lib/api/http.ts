import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { isDatabaseUnavailable, loggable } from "@/lib/db/errors";
import { ApiError, notFound, validationError } from "./errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Wraps a route handler: typed errors become their JSON answer; anything unexpected is logged with a request
 * id and answered with a generic 500 that leaks nothing (no stack, SQL or upstream text).
 */
export function withApi<Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) {
  return async (request: Request, ...args: Args): Promise<Response> => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (!(error instanceof ApiError) && isDatabaseUnavailable(error)) {
    // Temporary (a restart, a failover): say so, so clients and load balancers retry instead of giving up.
    console.warn("[parley] a request failed because the database is not answering");
    error = new ApiError("unavailable", "database", "The service is briefly unavailable; try again in a moment.", {
      headers: { "Retry-After": "5" },
    });
  }
  if (error instanceof ApiError) {
    return Response.json(error.toBody(), { status: error.status, headers: { "Cache-Control": "no-store", ...error.headers } });
  }
  const requestId = randomUUID();
  console.error(`[parley] request ${requestId} failed:`, loggable(error));
  return Response.json(
    { detail: "Something went wrong on our side. Please try again.", code: "internal:server", request_id: requestId },
    { status: 500, headers: { "Cache-Control": "no-store" } },
  );
}

/**
 * Reads a JSON body with the contract's rules: 415 unless JSON, 413 over 1 MiB (counted while reading, so a
 * lying Content-Length does not help), 400 when it does not parse, 422 when the schema refuses it.
 */
export async function readJson<T extends z.ZodType>(request: Request, schema: T, surface: string): Promise<z.infer<T>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new ApiError("unsupported_media_type", surface, "Send the body as JSON with Content-Type: application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge(surface);
  const text = await readTextLimited(request, surface);
  let data: unknown;
  try {
    data = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", surface, "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw validationError(surface, parsed.error);
  return parsed.data;
}

/**
 * For routes whose body is optional (e.g. logout): reads it if present, never fails on absence. Counts bytes as
 * they arrive and stops at `limit` (413), so an endless or lying body is never buffered past it.
 */
export async function readTextLimited(request: Request, surface: string, limit = MAX_BODY_BYTES): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(surface, limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Validates query-string or path parameters; a malformed id is a 404 at the caller's choice. */
export function parseParams<T extends z.ZodType>(schema: T, input: unknown, surface: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(surface, parsed.error);
  return parsed.data;
}

/** A malformed id cannot name a resource of the caller's: same answer (404) as a missing one. */
export function parseId<T extends z.ZodType>(schema: T, id: unknown, surface: string): z.infer<T> {
  const parsed = schema.safeParse(id);
  if (!parsed.success) throw notFound(surface);
  return parsed.data;
}

export const tooLarge = (surface: string, limit = MAX_BODY_BYTES) =>
  new ApiError("payload_too_large", surface, `The request body is larger than ${sizeText(limit)}`);

/** 1048576 → "1 MiB", 52428800 → "50 MiB", anything else in bytes. */
export function sizeText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes.toLocaleString("en-US")} bytes`;
}

export function noContent(headers?: HeadersInit): Response {
  return new Response(null, { status: 204, headers });
}
