import "server-only";
import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { keyset, type KeysetCursor, type KeysetPage } from "./keyset";
import { withinBudget } from "./accounts";
import { getDb, type Transaction } from "@/lib/db/client";
import { LimitReachedError } from "@/lib/db/errors";
import { chatSessions, projects, type ChatSessionRow, type ProjectRow } from "@/lib/db/schema";

/**
 * Chat sessions. Every function takes the caller's user id first and every statement filters by it, so a
 * query that forgets ownership cannot be written from here. "Not the caller's" and "missing" look the same.
 */

/**
 * A page of sessions, most recently active first. Archived ones only with `archived: true` (and then only
 * them); `pinned` narrows to pinned (true) or unpinned (false) ones. Pinned chats come first in the sidebar by
 * being asked for separately, so every list keeps the one keyset order its index answers.
 */
export async function listSessions(
  ownerId: string,
  options: { projectId?: string; limit: number; cursor?: KeysetCursor; archived?: boolean; pinned?: boolean },
): Promise<KeysetPage<ChatSessionRow>> {
  const db = await getDb();
  const page = keyset({ at: chatSessions.lastActivityAt, id: chatSessions.id }, options);
  const rows = await db
    .select({ session: chatSessions, exactAt: page.exactAt })
    .from(chatSessions)
    .where(
      and(
        eq(chatSessions.ownerId, ownerId),
        options.projectId ? eq(chatSessions.projectId, options.projectId) : undefined,
        options.archived ? isNotNull(chatSessions.archivedAt) : isNull(chatSessions.archivedAt),
        options.pinned === undefined
          ? undefined
          : options.pinned
            ? isNotNull(chatSessions.pinnedAt)
            : isNull(chatSessions.pinnedAt),
        page.after,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const result = page.page(rows, (row) => ({ at: row.exactAt, id: row.session.id }));
  return { ...result, rows: result.rows.map((row) => row.session) };
}

export async function getSession(ownerId: string, sessionId: string): Promise<ChatSessionRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .limit(1);
  return row;
}

/** The session and its project in one round trip (what sending a message needs). */
export async function getSessionWithProject(
  ownerId: string,
  sessionId: string,
): Promise<{ session: ChatSessionRow; project: ProjectRow } | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ session: chatSessions, project: projects })
    .from(chatSessions)
    .innerJoin(projects, and(eq(projects.id, chatSessions.projectId), eq(projects.ownerId, ownerId)))
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .limit(1);
  return row;
}

/**
 * Locks the caller's project for a new chat (concurrent creations in it wait for each other, so the chat cap is
 * exact) and answers its id; undefined when the project is not the caller's (or does not exist).
 */
export async function lockProjectForNewSession(tx: Transaction, ownerId: string, projectId: string): Promise<string | undefined> {
  const [project] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.ownerId, ownerId)))
    .for("update")
    .limit(1);
  return project?.id;
}

/** The number of the caller's chats in a project (under the project's lock: see lockProjectForNewSession). */
export async function countSessions(tx: Transaction, ownerId: string, projectId: string): Promise<number> {
  const [counted] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(chatSessions)
    .where(and(eq(chatSessions.projectId, projectId), eq(chatSessions.ownerId, ownerId)));
  return counted?.count ?? 0;
}

/**
 * Undefined when the project is not the caller's (or does not exist); 409 `limit:sessions` when it already holds
 * `maxSessions` chats (exact: counted under the project's row lock, which concurrent creations wait for).
 */
export async function createSession(
  ownerId: string,
  input: { projectId: string; title: string; titleSetByUser?: boolean; model: string; maxSessions?: number },
): Promise<ChatSessionRow | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const projectId = await lockProjectForNewSession(tx, ownerId, input.projectId);
    if (!projectId) return undefined;
    if (input.maxSessions !== undefined && (await countSessions(tx, ownerId, projectId)) >= input.maxSessions) {
      throw new LimitReachedError("sessions", input.maxSessions);
    }
    const [row] = await tx
      .insert(chatSessions)
      .values({
        ownerId,
        projectId,
        title: input.title,
        titleSetByUser: input.titleSetByUser ?? false,
        model: input.model,
      })
      .returning();
    if (!row) return undefined;
    await tx
      .update(projects)
      .set({ lastActivityAt: row.lastActivityAt })
      .where(and(eq(projects.id, projectId), eq(projects.ownerId, ownerId)));
    return row;
  });
}

/**
 * A title set here is a person's: it is marked so, and a generated one never replaces it. Pinning keeps the
 * first pin's time; `false` clears pin or archive.
 */
export async function updateSession(
  ownerId: string,
  sessionId: string,
  changes: { title?: string; model?: string; pinned?: boolean; archived?: boolean },
): Promise<ChatSessionRow | undefined> {
  const db = await getDb();
  const { title, model, pinned, archived } = changes;
  const [row] = await db
    .update(chatSessions)
    .set({
      ...(title !== undefined ? { title, titleSetByUser: true } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(pinned !== undefined ? { pinnedAt: pinned ? sql`coalesce(${chatSessions.pinnedAt}, now())` : null } : {}),
      ...(archived !== undefined ? { archivedAt: archived ? sql`coalesce(${chatSessions.archivedAt}, now())` : null } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .returning();
  return row;
}

/**
 * Stores a generated title, only while the chat still has the default title and no person has named it: the
 * check is in the statement itself, so a rename that lands while the title model is thinking wins. False when
 * nothing was written.
 */
export async function setGeneratedTitle(
  ownerId: string,
  sessionId: string,
  title: string,
  defaultTitle: string,
): Promise<boolean> {
  const db = await getDb();
  const updated = await db
    .update(chatSessions)
    .set({ title, updatedAt: new Date() })
    .where(
      and(
        eq(chatSessions.id, sessionId),
        eq(chatSessions.ownerId, ownerId),
        eq(chatSessions.titleSetByUser, false),
        eq(chatSessions.title, defaultTitle),
      ),
    )
    .returning({ id: chatSessions.id });
  return updated.length > 0;
}

/** True when a row was deleted; its messages go with it (cascade). */
export async function deleteSession(ownerId: string, sessionId: string): Promise<boolean> {
  const db = await getDb();
  const deleted = await db
    .delete(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId)))
    .returning({ id: chatSessions.id });
  return deleted.length > 0;
}

/**
 * Claims the session for one reply (compare-and-set), so a second send from any tab or instance is refused
 * while a reply streams. The lease expires on its own if the generating process dies.
 */
export async function acquireGeneration(
  ownerId: string,
  sessionId: string,
  generationId: string,
  leaseMs: number,
  /** A regeneration calls the model: it takes the lease only within the owner's monthly budget. */
  options: { withinBudget?: boolean } = {},
): Promise<boolean> {
  const db = await getDb();
  const claimed = await db
    .update(chatSessions)
    .set({ generationId, generationExpiresAt: new Date(Date.now() + leaseMs) })
    .where(
      and(
        eq(chatSessions.id, sessionId),
        eq(chatSessions.ownerId, ownerId),
        or(isNull(chatSessions.generationId), lt(chatSessions.generationExpiresAt, sql`now()`)),
        ...(options.withinBudget ? [withinBudget(ownerId)] : []),
      ),
    )
    .returning({ id: chatSessions.id });
  return claimed.length > 0;
}

/** Releases only our own claim: a lease that expired and was taken by someone else stays theirs. */
export async function releaseGeneration(ownerId: string, sessionId: string, generationId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(chatSessions)
    .set({ generationId: null, generationExpiresAt: null })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId), eq(chatSessions.generationId, generationId)));
}

/** Whether a generation still holds the session (another instance asks this to learn about a Stop). */
export async function isGenerationActive(ownerId: string, sessionId: string, generationId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: chatSessions.id })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.ownerId, ownerId), eq(chatSessions.generationId, generationId)))
    .limit(1);
  return Boolean(row);
}

/**
 * The project a new session goes into (its default model chooses the session's), or undefined when it is not the
 * caller's. (Added by the chat work: sessions are created from here, projects.ts belongs to the projects work.)
 */
export async function getProjectForNewSession(ownerId: string, projectId: string): Promise<ProjectRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.ownerId, ownerId)))
    .limit(1);
  return row;
}
