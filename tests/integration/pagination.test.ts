import { inArray, sql } from "drizzle-orm";
import { describe, expect, inject, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { chatSessions, projects } from "@/lib/db/schema";
import { createProjectRow, createSessionRow } from "../support/chat-fixtures";
import { createTestUser } from "../support/auth";
import { projectApi } from "../support/projects-api";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as sessionsRoute from "@/app/api/v1/sessions/route";

type TestUser = Awaited<ReturnType<typeof createTestUser>>;

/** The two keyset-paginated lists of the REST API: how to make three rows, which table holds their sort key. */
const lists = [
  {
    name: "GET /api/v1/sessions",
    errorCode: "validation:query",
    table: chatSessions,
    async makeThree(owner: TestUser) {
      const project = await createProjectRow(owner.user.id);
      return Promise.all([1, 2, 3].map(async () => (await createSessionRow(owner.user.id, project.id)).id));
    },
    list: (owner: TestUser, query: Record<string, string>) =>
      sessionsRoute.GET(
        new Request(`http://localhost/api/v1/sessions?${new URLSearchParams(query)}`, { headers: owner.headers }),
      ),
  },
  {
    name: "GET /api/v1/project",
    errorCode: "validation:project",
    table: projects,
    makeThree: (owner: TestUser) => Promise.all([1, 2, 3].map(async () => (await createProjectRow(owner.user.id)).id)),
    list: (owner: TestUser, query: Record<string, string>) => projectApi.list({ headers: owner.headers, query }),
  },
] as const;

/** Follows X-Next-Cursor from the first page to the last (bounded, so a cursor that loops cannot hang the test). */
async function pageThrough(list: (query: Record<string, string>) => Promise<Response>, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10; page++) {
    const response = await list(cursor ? { limit: String(limit), cursor } : { limit: String(limit) });
    expect(response.status).toBe(200);
    // A page is one moment of a list that changes: no cache may answer the next request with it.
    expect(response.headers.get("cache-control")).toBe("no-store");
    seen.push(...((await response.json()) as { id: string }[]).map((row) => row.id));
    cursor = response.headers.get("x-next-cursor");
    if (!cursor) break;
  }
  return seen;
}

describe(`keyset pagination of the REST lists (${inject("testDatabase").kind})`, () => {
  /* PostgreSQL's now() has microseconds, so rows made within one millisecond differ only there; PGlite's has
   * milliseconds, so they tie exactly. Both are set here on purpose, sub-millisecond digits included: a cursor
   * that keeps only milliseconds lands after all three rows and the next page is empty. */
  const instants = {
    "one instant to the microsecond": [
      "2026-01-01T00:00:00.123456Z",
      "2026-01-01T00:00:00.123456Z",
      "2026-01-01T00:00:00.123456Z",
    ],
    "one millisecond, microseconds apart": [
      "2026-01-01T00:00:00.123456Z",
      "2026-01-01T00:00:00.123455Z",
      "2026-01-01T00:00:00.123454Z",
    ],
  };

  for (const target of lists) {
    for (const [tie, at] of Object.entries(instants)) {
      it(`${target.name} with limit=1 shows three rows sharing ${tie} once each`, async () => {
        const owner = await createTestUser();
        const ids = await target.makeThree(owner);
        const db = await getDb();
        for (const [i, id] of ids.entries()) {
          await db
            .update(target.table)
            .set({ lastActivityAt: sql`${at[i]}::timestamptz` })
            .where(inArray(target.table.id, [id]));
        }
        const seen = await pageThrough((query) => target.list(owner, query), 1);
        expect(seen.toSorted()).toEqual(ids.toSorted());
        expect(seen).toHaveLength(3);
      });
    }
  }
});

describe(`tampered pagination cursors (${inject("testDatabase").kind})`, () => {
  const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
  const cursorOf = (value: unknown) => b64(JSON.stringify(value));
  const at = "2026-01-01T00:00:00.123456Z";
  const id = "3f0c6f1e-8b7a-4c2d-9e5f-1a2b3c4d5e6f";
  const tampered: [string, string][] = [
    ["a timestamp that is not a date", cursorOf(["not-a-date", id])],
    ["a date that does not exist", cursorOf(["2026-02-30T00:00:00.000000Z", id])],
    ["year 0", cursorOf(["0000-01-01T00:00:00.000000Z", id])],
    ["a timestamp without its microseconds", cursorOf(["2026-01-01T00:00:00Z", id])],
    ["a timestamp with an offset", cursorOf(["2026-01-01T00:00:00.123456+02:00", id])],
    ["a number as the timestamp", cursorOf([1767225600123, id])],
    ["a number as the id", cursorOf([at, 42])],
    ["an id that is not a UUID", cursorOf([at, "1; drop table projects"])],
    ["a missing id", cursorOf([at])],
    ["an extra field", cursorOf([at, id, "more"])],
    ["extra nesting", cursorOf([[at, id]])],
    ["a nested timestamp", cursorOf([{ at }, id])],
    ["an object instead of the pair", cursorOf({ at, id })],
    ["JSON null", cursorOf(null)],
    ["an empty array", cursorOf([])],
    ["base64url that is not JSON", b64("not json {")],
    ["text that is not base64url", "!!not*base64url!!"],
    ["standard base64 (+ and /)", "a+b/c=="],
  ];

  for (const target of lists) {
    it.each(tampered)(`${target.name} answers 422 to %s`, async (_, cursor) => {
      const owner = await createTestUser();
      const response = await target.list(owner, { limit: "1", cursor });
      const body = (await response.json()) as { detail: unknown; code: unknown; errors?: { path: string }[] };
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(body).toMatchObject({ detail: expect.any(String), code: target.errorCode });
      // Says what to do instead of guessing a page: send back the header of the previous page as it came.
      expect(body.detail).toBe("Invalid cursor: pass the X-Next-Cursor header of the previous page unchanged");
      expect(body.errors).toEqual([{ path: "cursor", message: "Not a cursor issued by this API" }]);
    });
  }
});
