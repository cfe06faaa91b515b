import { z } from "zod";
import { storableText } from "@/lib/validation/text";

/**
 * The one definition of what a project accepts. The REST API, the dashboard's server actions, the dialog's
 * client-side checks and the OpenAPI document all use these schemas, so the limits cannot drift apart.
 * Unknown fields are stripped (zod's default for objects), as the original API ignored them.
 */
export const PROJECT_NAME_MAX = 200;
export const PROJECT_DESCRIPTION_MAX = 2_000;
export const SYSTEM_PROMPT_MAX = 20_000;
export const MEMORY_THRESHOLD_RANGE = { min: 2, max: 1_000 } as const;
export const MEMORY_KEEP_RECENT_RANGE = { min: 0, max: 100 } as const;

const projectName = storableText("Name must not contain NUL characters (\\u0000)")
  .trim()
  .min(1, { message: "Name is required" })
  .max(PROJECT_NAME_MAX, { message: `Name must be at most ${PROJECT_NAME_MAX} characters` })
  .describe("The project's name, 1–200 characters");

const projectDescription = storableText("Description must not contain NUL characters (\\u0000)")
  .trim()
  .max(PROJECT_DESCRIPTION_MAX, {
    message: `Description must be at most ${PROJECT_DESCRIPTION_MAX.toLocaleString("en-US")} characters`,
  })
  // An empty description is no description: store null so every client shows the same "No description".
  .transform((text) => (text === "" ? null : text))
  .nullable()
  .describe("Optional description, at most 2,000 characters");

const systemPrompt = storableText("System prompt must not contain NUL characters (\\u0000)")
  .max(SYSTEM_PROMPT_MAX, { message: `System prompt must be at most ${SYSTEM_PROMPT_MAX.toLocaleString("en-US")} characters` })
  .describe("Instructions sent to the model before every chat of this project, at most 20,000 characters");

const defaultModel = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .nullable()
  .describe("Model id (from /api/v1/project/available-models) new chats use; null = the platform default");

const memoryEnabled = z.boolean().describe("Whether long chats are summarized in the background");
const memoryThreshold = z
  .number()
  .int()
  .min(MEMORY_THRESHOLD_RANGE.min)
  .max(MEMORY_THRESHOLD_RANGE.max)
  .nullable()
  .describe("Uncovered messages that trigger a summary; null = the platform default");
const memoryKeepRecent = z
  .number()
  .int()
  .min(MEMORY_KEEP_RECENT_RANGE.min)
  .max(MEMORY_KEEP_RECENT_RANGE.max)
  .nullable()
  .describe("Most recent messages always sent verbatim; null = the platform default");

const fields = {
  project_name: projectName,
  project_description: projectDescription.optional(),
  system_prompt: systemPrompt.optional(),
  default_model: defaultModel.optional(),
  memory_enabled: memoryEnabled.optional(),
  memory_threshold: memoryThreshold.optional(),
  memory_keep_recent: memoryKeepRecent.optional(),
};

export const projectCreateSchema = z.object({ ...fields, system_prompt: systemPrompt.default("") }).describe("A new project");

/** PATCH: any of the create fields; an empty patch is a client bug worth telling about (422), not a no-op. */
export const projectUpdateSchema = z
  .object({ ...fields, project_name: projectName.optional() })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: "Send at least one field to change" })
  .describe("Any of the create fields; at least one");

export type ProjectCreateInput = z.infer<typeof projectCreateSchema>;
export type ProjectUpdateInput = z.infer<typeof projectUpdateSchema>;

const timestamp = z.iso.datetime().describe("ISO 8601 UTC");

export const projectSchema = z
  .object({
    id: z.uuid(),
    user_id: z.uuid().describe("The owner"),
    project_name: z.string(),
    project_description: z.string().nullable(),
    system_prompt: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
    default_model: z.string().nullable(),
    memory_enabled: z.boolean(),
    memory_threshold: z.number().int().nullable(),
    memory_keep_recent: z.number().int().nullable(),
    chat_count: z.number().int().describe("Number of chat sessions in the project"),
    cost: z
      .string()
      .describe('What the project\'s model calls cost so far, USD as an exact decimal string ("0": nothing charged)'),
    last_activity_at: timestamp,
  })
  .describe("A project, with Parley's additions after the original fields");

export type Project = z.infer<typeof projectSchema>;

export const PROJECT_PAGE_DEFAULT = 50;

export const projectListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(PROJECT_PAGE_DEFAULT).describe("Page size, 1–100 (default 50)"),
  cursor: z.string().max(500).optional().describe("The X-Next-Cursor header of the previous page"),
  q: storableText()
    .trim()
    .max(PROJECT_NAME_MAX)
    .optional()
    .describe("Only projects whose name contains this text (case-insensitive)"),
});

export type ProjectListQuery = z.input<typeof projectListQuerySchema>;

export const modelInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: z.string(),
    context_window: z.number().int().describe("Context length in tokens (from OpenRouter's catalog for its models)"),
    pricing: z
      .object({ prompt: z.number(), completion: z.number() })
      .nullable()
      .describe("USD per million input (prompt) and output (completion) tokens; null when unknown (local and offline models)"),
    free: z.boolean().describe("No charge per token (price 0 both ways, or a local/offline model)"),
    vendor: z.string().describe('Who makes the model: the id\'s prefix on OpenRouter ("anthropic"), else "local" or "offline"'),
    available: z.boolean().describe("False where the provider has no key configured"),
    your_key: z
      .boolean()
      .describe("Calls to it go out with your own OpenRouter key (PUT /api/v1/me/openrouter-key) and are billed to you"),
  })
  .describe("A model a chat can use");

/** Path ids: any 8-4-4-4-12 hex string Postgres accepts; anything else is "not found", never a 500. */
export const projectIdSchema = z.guid();
