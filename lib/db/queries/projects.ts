import "server-only";
import { and, eq, ilike, sql, type SQL } from "drizzle-orm";
import { descNullsLast } from "./order";
import { getDb } from "@/lib/db/client";
import { projects, type ProjectRow } from "@/lib/db/schema";

/**
 * Every project query in Parley. Each function takes the owner's id first and every statement filters by it,
 * so reading or changing another user's project cannot be written by accident: a wrong owner simply finds
 * nothing (which callers report as 404, never 403).
 */

export type ProjectWithStats = ProjectRow & { chatCount: number };

/** The keyset position after a row. `at` is the exact timestamp as text (microseconds): a JS Date would drop
 * them, and rows sharing a millisecond would then be skipped or repeated between pages. */
export interface ProjectCursor {
  at: string;
  id: string;
}

export interface ProjectValues {
  name: string;
  description?: string | null;
  systemPrompt?: string;
  defaultModel?: string | null;
  memoryEnabled?: boolean;
  memoryThreshold?: number | null;
  memoryKeepRecent?: number | null;
}

/* Names are spelled out: drizzle leaves columns unqualified inside select fields, and in a correlated subquery
 * an unqualified "id" would mean the session's id. Counted per project on its (project_id, …) index. */
const chatCount = (ownerId: string) =>
  sql<number>`(select count(*)::int from "chat_sessions" as "cs" where "cs"."project_id" = "projects"."id" and "cs"."owner_id" = ${ownerId})`;

const exactActivity = sql<string>`to_char("projects"."last_activity_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const ownedBy = (ownerId: string, ...more: (SQL | undefined)[]) => and(eq(projects.ownerId, ownerId), ...more);

/** LIKE treats % and _ as wildcards and \ as escape: a search for "50%" must mean those characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export async function listProjects(
  ownerId: string,
  options: { limit: number; cursor?: ProjectCursor; search?: string },
): Promise<{ rows: ProjectWithStats[]; nextCursor?: ProjectCursor }> {
  const db = await getDb();
  const { limit, cursor, search } = options;
  const rows = await db
    .select({ project: projects, chatCount: chatCount(ownerId), exactActivity })
    .from(projects)
    .where(
      ownedBy(
        ownerId,
        search ? ilike(projects.name, `%${escapeLike(search)}%`) : undefined,
        // Row comparison matches the (owner_id, last_activity_at desc, id desc) index: every page costs the same.
        cursor ? sql`(${projects.lastActivityAt}, ${projects.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
      ),
    )
    .orderBy(descNullsLast(projects.lastActivityAt), descNullsLast(projects.id))
    // One extra row tells whether another page exists without a count(*).
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((row) => ({ ...row.project, chatCount: row.chatCount })),
    nextCursor: rows.length > limit && last ? { at: last.exactActivity, id: last.project.id } : undefined,
  };
}

export async function getProject(ownerId: string, projectId: string): Promise<ProjectWithStats | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ project: projects, chatCount: chatCount(ownerId) })
    .from(projects)
    .where(ownedBy(ownerId, eq(projects.id, projectId)));
  return row ? { ...row.project, chatCount: row.chatCount } : undefined;
}

export async function createProject(ownerId: string, values: ProjectValues): Promise<ProjectWithStats> {
  const db = await getDb();
  const [row] = await db
    .insert(projects)
    .values({ ...values, ownerId })
    .returning();
  return { ...row, chatCount: 0 };
}

export async function updateProject(ownerId: string, projectId: string, patch: Partial<ProjectValues>): Promise<ProjectWithStats | undefined> {
  const db = await getDb();
  const [row] = await db
    .update(projects)
    // updated_at from the database clock, like created_at; keys left undefined are not touched by drizzle.
    .set({ ...patch, updatedAt: sql`now()` })
    .where(ownedBy(ownerId, eq(projects.id, projectId)))
    .returning({ id: projects.id });
  return row ? getProject(ownerId, row.id) : undefined;
}

/** Sessions and messages go with the project (foreign keys cascade). */
export async function deleteProject(ownerId: string, projectId: string): Promise<boolean> {
  const db = await getDb();
  const deleted = await db
    .delete(projects)
    .where(ownedBy(ownerId, eq(projects.id, projectId)))
    .returning({ id: projects.id });
  return deleted.length > 0;
}

/** For account deletion: every project of the owner, with their sessions and messages. */
export async function deleteAllForOwner(ownerId: string): Promise<number> {
  const db = await getDb();
  const deleted = await db.delete(projects).where(ownedBy(ownerId)).returning({ id: projects.id });
  return deleted.length;
}
