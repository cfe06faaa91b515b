import { z } from "zod";

/** The request and answer shapes of the export and import routes (the routes, the service and the OpenAPI document). */

export const chatExportQuery = z.object({
  format: z.enum(["markdown", "json"]).default("markdown").describe("markdown (to read) or json (a Parley export, to import)"),
});

export const importResultSchema = z.object({
  format: z.enum(["parley", "chatgpt"]),
  project_ids: z.array(z.uuid()).describe("The projects the chats went into"),
  projects: z.number().int().describe("Projects created"),
  chats: z.number().int(),
  messages: z.number().int(),
  skipped: z.number().int().describe("ChatGPT conversations with no user or assistant text on their current branch"),
});

export const importQuery = z.object({
  project_id: z
    .uuid()
    .optional()
    .describe(
      "Import the chats into this project of yours (required for ChatGPT files; for Parley files, instead of recreating the file's projects)",
    ),
});

export type ImportResult = z.output<typeof importResultSchema>;
