"use server";

import { withUserAction, type ActionResult } from "@/lib/server/action";
import type { Project } from "./schemas";
import { createProjectFor, deleteProjectOf, listProjectsOf, updateProjectOf, type ProjectPage } from "./service";

/**
 * The dashboard's server actions. Each one checks the user again (an action is a public endpoint whatever the
 * page showed) and goes through the same service as the REST API, so validation and ownership are identical.
 * Refusals come back as values, not exceptions, so the client can roll back its optimistic change and say why.
 */

const run = <T>(nextPath: string, work: (ownerId: string) => Promise<T>): Promise<ActionResult<T>> =>
  withUserAction((user) => work(user.id), { nextPath });

export async function createProjectAction(input: unknown): Promise<ActionResult<Project>> {
  return run("/", (ownerId) => createProjectFor(ownerId, input));
}

export async function updateProjectAction(projectId: string, input: unknown): Promise<ActionResult<Project>> {
  return run("/", (ownerId) => updateProjectOf(ownerId, projectId, input));
}

export async function deleteProjectAction(projectId: string): Promise<ActionResult<null>> {
  return run("/", async (ownerId) => {
    await deleteProjectOf(ownerId, projectId);
    return null;
  });
}

export async function loadProjectsPageAction(query: { cursor?: string; q?: string }): Promise<ActionResult<ProjectPage>> {
  return run("/", (ownerId) => listProjectsOf(ownerId, { cursor: query.cursor, q: query.q }));
}
