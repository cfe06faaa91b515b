import { z } from "zod";
import { ApiError } from "./errors";

/**
 * Opaque keyset cursors: base64url of the last row's sort key. Keyset (not offset) pagination keeps every page
 * as cheap as the first, however many rows a user has. The services encode and decode them; the queries take
 * and give the decoded position (lib/db/queries/keyset.ts).
 */
export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

export interface Cursor {
  /** Exact timestamp of the last row, with microseconds, in UTC. */
  at: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

/* Every field is checked before it reaches SQL, where a bad one would fail the cast (a 500): the timestamp in
 * the exact form we issue (the date checked for real, e.g. no 30 February), and year 0, which ISO accepts but
 * PostgreSQL does not. */
const exactTimestamp = z.iso.datetime({ precision: 6 }).refine((at) => !at.startsWith("0000-"), "Year 0 does not exist");

const cursorSchema = z
  .base64url()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "Not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.tuple([exactTimestamp, z.uuid()]))
  .transform(([at, id]): Cursor => ({ at, id }));

/** Undefined for a cursor that is not one of ours. */
export function decodeCursor(raw: string): Cursor | undefined {
  const parsed = cursorSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** The `?cursor=` of a list request: none when absent or empty; a 422 (not a guess) when it is not ours. */
export function readCursor(raw: string | undefined, surface: string): Cursor | undefined {
  if (!raw) return undefined;
  const cursor = decodeCursor(raw);
  if (!cursor) {
    throw new ApiError("validation", surface, "Invalid cursor: pass the X-Next-Cursor header of the previous page unchanged", {
      errors: [{ path: "cursor", message: "Not a cursor issued by this API" }],
    });
  }
  return cursor;
}

export function withNextCursor(body: unknown, nextCursor: string | undefined, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Cache-Control", "no-store");
  if (nextCursor) {
    // proxy.ts exposes it to allowed cross-origin callers (lib/api/cors.ts), with the API's other headers.
    headers.set("X-Next-Cursor", nextCursor);
  }
  return Response.json(body, { ...init, headers });
}
