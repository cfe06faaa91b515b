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
    table: chatSessions,
    async makeThree(owner: TestUser) {
      const project = await createProjectRow(owner.user.id);
      return Promise.all([1, 2, 3].map(async () => (await createSessionRow(owner.user.id, project.id)).id));
    },
    list: (owner: TestUser, query: Record<string, string>) =>
      sessionsRoute.GET(new Request(`http://localhost/api/v1/sessions?${new URLSearchParams(query)}`, { headers: owner.headers })),
  },
  {
    name: "GET /api/v1/project",
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
    "one instant to the microsecond": ["2026-01-01T00:00:00.123456Z", "2026-01-01T00:00:00.123456Z", "2026-01-01T00:00:00.123456Z"],
    "one millisecond, microseconds apart": ["2026-01-01T00:00:00.123456Z", "2026-01-01T00:00:00.123455Z", "2026-01-01T00:00:00.123454Z"],
  };

  for (const target of lists) {
    for (const [tie, at] of Object.entries(instants)) {
      it(`${target.name} with limit=1 shows three rows sharing ${tie} once each`, async () => {
        const owner = await createTestUser();
        const ids = await target.makeThree(owner);
        const db = await getDb();
        for (const [i, id] of ids.entries()) {
          await db.update(target.table).set({ lastActivityAt: sql`${at[i]}::timestamptz` }).where(inArray(target.table.id, [id]));
        }
        const seen = await pageThrough((query) => target.list(owner, query), 1);
        expect(seen.toSorted()).toEqual(ids.toSorted());
        expect(seen).toHaveLength(3);
      });
    }
  }
});
