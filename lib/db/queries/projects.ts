import "server-only";
import { and, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import { keyset, type KeysetCursor, type KeysetPage } from "./keyset";
import { getDb } from "@/lib/db/client";
import { chatSessions, projects, usageEvents, userOpenRouterKeys, type ProjectRow } from "@/lib/db/schema";

/**
 * Every project query in Parley. Each function takes the owner's id first and every statement filters by it,
 * so reading or changing another user's project cannot be written by accident: a wrong owner simply finds
 * nothing (which callers report as 404, never 403).
 */

export type ProjectWithStats = ProjectRow & { chatCount: number; cost: string };

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
  sql<number>`(select count(*)::int from ${chatSessions} as "cs" where "cs"."project_id" = "projects"."id" and "cs"."owner_id" = ${ownerId})`;

/** What the project's model calls cost (USD, exact numeric sum as text), on usage_events' project index. */
const usageCost = (ownerId: string) =>
  sql<string>`(select coalesce(sum("ue"."cost"), 0)::text from ${usageEvents} as "ue" where "ue"."project_id" = "projects"."id" and "ue"."owner_id" = ${ownerId})`;

const ownedBy = (ownerId: string, ...more: (SQL | undefined)[]) => and(eq(projects.ownerId, ownerId), ...more);

/** LIKE treats % and _ as wildcards and \ as escape: a search for "50%" must mean those characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export async function listProjects(
  ownerId: string,
  options: { limit: number; cursor?: KeysetCursor; search?: string },
): Promise<KeysetPage<ProjectWithStats>> {
  const db = await getDb();
  const { search } = options;
  const page = keyset({ at: projects.lastActivityAt, id: projects.id }, options);
  const rows = await db
    .select({ project: projects, chatCount: chatCount(ownerId), cost: usageCost(ownerId), exactAt: page.exactAt })
    .from(projects)
    .where(ownedBy(ownerId, search ? ilike(projects.name, `%${escapeLike(search)}%`) : undefined, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const result = page.page(rows, (row) => ({ at: row.exactAt, id: row.project.id }));
  return { ...result, rows: result.rows.map((row) => ({ ...row.project, chatCount: row.chatCount, cost: row.cost })) };
}

export async function getProject(ownerId: string, projectId: string): Promise<ProjectWithStats | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ project: projects, chatCount: chatCount(ownerId), cost: usageCost(ownerId) })
    .from(projects)
    .where(ownedBy(ownerId, eq(projects.id, projectId)));
  return row ? { ...row.project, chatCount: row.chatCount, cost: row.cost } : undefined;
}

/**
 * Undefined when the owner already has `maxProjects`. The count and the insert share a transaction but not a
 * lock (with Supabase Auth there is no user row to lock), so creations racing at the cap can pass it by as many
 * as race: a quota against runaway growth, not an exact number.
 */
export async function createProject(
  ownerId: string,
  values: ProjectValues,
  maxProjects: number,
): Promise<ProjectWithStats | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [counted] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(projects)
      .where(ownedBy(ownerId));
    if ((counted?.count ?? 0) >= maxProjects) return undefined;
    const [row] = await tx
      .insert(projects)
      .values({ ...values, ownerId })
      .returning();
    return row && { ...row, chatCount: 0, cost: "0" };
  });
}

export async function updateProject(
  ownerId: string,
  projectId: string,
  patch: Partial<ProjectValues>,
): Promise<ProjectWithStats | undefined> {
  const db = await getDb();
  const [row] = await db
    .update(projects)
    // updated_at from the database clock, like created_at; keys left undefined are not touched by drizzle.
    .set({ ...patch, updatedAt: sql`now()` })
    .where(ownedBy(ownerId, eq(projects.id, projectId)))
    .returning({ id: projects.id });
  return row ? getProject(ownerId, row.id) : undefined;
}

/**
 * The project a signed-in user lands in: the default one if it exists, else the most recently active; an account
 * without any project gets its default project made here, with `values`. Two first landings at once (two tabs)
 * make one: the second insert meets the partial unique index on (owner_id) where is_default and does nothing,
 * and both then read the same row. A quota is not checked: only an account with no project at all gets one.
 */
export async function getOrCreateLandingProject(ownerId: string, values: ProjectValues): Promise<string> {
  const db = await getDb();
  const pick = async () => {
    const [row] = await db
      .select({ id: projects.id })
      .from(projects)
      .where(ownedBy(ownerId))
      .orderBy(desc(projects.isDefault), desc(projects.lastActivityAt), desc(projects.id))
      .limit(1);
    return row?.id;
  };
  const existing = await pick();
  if (existing) return existing;
  await db
    .insert(projects)
    .values({ ...values, ownerId, isDefault: true })
    .onConflictDoNothing();
  const made = await pick();
  // Only a deletion racing this very landing gets here; the caller's next request starts over.
  if (!made) throw new Error("the default project disappeared while it was being made");
  return made;
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

/** For account deletion: every project of the owner, with their sessions and messages, and their usage rows. */
export async function deleteAllForOwner(ownerId: string): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Usage rows outlive a deleted chat or project (their links go null), so they are deleted here by owner.
    await tx.delete(usageEvents).where(eq(usageEvents.ownerId, ownerId));
    await tx.delete(userOpenRouterKeys).where(eq(userOpenRouterKeys.ownerId, ownerId));
    const deleted = await tx.delete(projects).where(ownedBy(ownerId)).returning({ id: projects.id });
    return deleted.length;
  });
}
