import "server-only";
import type { z } from "zod";
import { ApiError, notFound } from "@/lib/api/errors";
import { parseId, parseParams } from "@/lib/api/http";
import { encodeCursor, readCursor } from "@/lib/api/pagination";
import { isKnownModel, unknownModelMessage } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import * as queries from "@/lib/db/queries/projects";
import type { ProjectWithStats } from "@/lib/db/queries/projects";
import { normalizeDecimal } from "@/lib/db/queries/usage";
import {
  projectCreateSchema,
  projectIdSchema,
  projectListQuerySchema,
  projectUpdateSchema,
  type Project,
  type ProjectCreateInput,
  type ProjectListQuery,
  type ProjectUpdateInput,
} from "./schemas";

/**
 * What the REST API and the dashboard's server actions both call. Inputs arrive as `unknown` and are validated
 * here with the shared schemas, so neither caller can skip a check; failures are ApiErrors (422/404) that the
 * API answers as JSON and the actions turn into messages.
 */

const SURFACE = "project";

export function toProjectDto(row: ProjectWithStats): Project {
  return {
    id: row.id,
    user_id: row.ownerId,
    project_name: row.name,
    project_description: row.description,
    system_prompt: row.systemPrompt,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    default_model: row.defaultModel,
    memory_enabled: row.memoryEnabled,
    memory_threshold: row.memoryThreshold,
    memory_keep_recent: row.memoryKeepRecent,
    chat_count: row.chatCount,
    cost: normalizeDecimal(row.cost),
    last_activity_at: row.lastActivityAt.toISOString(),
  };
}

const parse = <T extends z.ZodType>(schema: T, input: unknown) => parseParams(schema, input, SURFACE);
const parseProjectId = (projectId: unknown): string => parseId(projectIdSchema, projectId, SURFACE);

/** Model ids come from the registry, never free text: an unknown id would later run on the server's key. */
async function checkModel(ownerId: string, model: string | null | undefined): Promise<void> {
  if (model && !(await isKnownModel(model, ownerId))) {
    const message = unknownModelMessage(model);
    throw new ApiError("validation", SURFACE, `Invalid default_model: ${message}`, {
      errors: [{ path: "default_model", message }],
    });
  }
}

function toValues(input: ProjectCreateInput | ProjectUpdateInput): Partial<queries.ProjectValues> {
  return {
    name: input.project_name,
    description: input.project_description,
    systemPrompt: input.system_prompt,
    defaultModel: input.default_model,
    memoryEnabled: input.memory_enabled,
    memoryThreshold: input.memory_threshold,
    memoryKeepRecent: input.memory_keep_recent,
  };
}

export interface ProjectPage {
  items: Project[];
  nextCursor?: string;
}

export async function listProjectsOf(
  ownerId: string,
  query: ProjectListQuery | Record<string, unknown> = {},
): Promise<ProjectPage> {
  const { limit, cursor, q } = parse(projectListQuerySchema, query);
  const page = await queries.listProjects(ownerId, { limit, cursor: readCursor(cursor, SURFACE), search: q || undefined });
  return { items: page.rows.map(toProjectDto), nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : undefined };
}

export async function getProjectOf(ownerId: string, projectId: unknown): Promise<Project> {
  const row = await queries.getProject(ownerId, parseProjectId(projectId));
  if (!row) throw notFound(SURFACE);
  return toProjectDto(row);
}

export async function createProjectFor(ownerId: string, input: unknown): Promise<Project> {
  const data = parse(projectCreateSchema, input);
  await checkModel(ownerId, data.default_model);
  const max = getConfig().limits.projectsPerUser;
  const row = await queries.createProject(ownerId, { ...toValues(data), name: data.project_name }, max);
  if (!row)
    throw new ApiError(
      "limit",
      "projects",
      `You have reached the limit of ${max.toLocaleString("en-US")} projects; delete one to create another`,
    );
  return toProjectDto(row);
}

export async function updateProjectOf(ownerId: string, projectId: unknown, input: unknown): Promise<Project> {
  const id = parseProjectId(projectId);
  const data = parse(projectUpdateSchema, input);
  await checkModel(ownerId, data.default_model);
  const row = await queries.updateProject(ownerId, id, toValues(data));
  if (!row) throw notFound(SURFACE);
  return toProjectDto(row);
}

/** The name of the project a new account starts in (created on first need, renamable like any other). */
export const DEFAULT_PROJECT_NAME = "Personal";

/**
 * Where a signed-in user lands to type a message: the default project, else the most recently active one, else a
 * new default project ("Personal", no system prompt, the platform's default model), made once even when two
 * tabs land together.
 */
export async function landingProjectIdOf(ownerId: string): Promise<string> {
  return queries.getOrCreateLandingProject(ownerId, { name: DEFAULT_PROJECT_NAME, systemPrompt: "" });
}

export async function deleteProjectOf(ownerId: string, projectId: unknown): Promise<void> {
  const deleted = await queries.deleteProject(ownerId, parseProjectId(projectId));
  if (!deleted) throw notFound(SURFACE);
}
