"use server";

import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/server";
import { loggable } from "@/lib/db/errors";
import type { Project } from "./schemas";
import { createProjectFor, deleteProjectOf, listProjectsOf, updateProjectOf, type ProjectPage } from "./service";

/**
 * The dashboard's server actions. Each one checks the user again (an action is a public endpoint whatever the
 * page showed) and goes through the same service as the REST API, so validation and ownership are identical.
 * Refusals come back as values, not exceptions, so the client can roll back its optimistic change and say why.
 */

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string> };

async function run<T>(nextPath: string, work: (ownerId: string) => Promise<T>): Promise<ActionResult<T>> {
  // Outside the try: requireUser redirects to /login by throwing, which must reach Next untouched.
  const user = await requireUser(nextPath);
  try {
    return { ok: true, data: await work(user.id) };
  } catch (error) {
    if (error instanceof ApiError) {
      const fieldErrors = error.errors ? Object.fromEntries(error.errors.map((e) => [e.path, e.message])) : undefined;
      return { ok: false, error: error.message, fieldErrors };
    }
    console.error("[parley] project action failed:", loggable(error));
    return { ok: false, error: "Something went wrong on our side. Please try again." };
  }
}

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
