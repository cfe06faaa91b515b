import { z } from "zod";
import { chatTitle } from "@/lib/chats/schemas";
import { projectCreateSchema } from "@/lib/projects/schemas";
import { messageRoles, messageStatuses } from "@/lib/db/schema";
import { storableText } from "@/lib/validation/text";

/**
 * Parley's own export format, version 1: the one definition the account export is written to, the import reads
 * with, and the OpenAPI document publishes. Objects strip keys they do not know, so a later version that adds
 * fields (pinned, archived, a user-set title) can still be read by this one, and a v1 file by the next one if the
 * new fields are optional. Ids are the exporter's; an import makes new ones.
 */
export const EXPORT_FORMAT = "parley-export";
export const EXPORT_VERSION = 1;

/** One message or reasoning text: far above what a model answers, bounded so one field cannot eat the limit. */
export const MAX_IMPORTED_TEXT = 500_000;
export const MAX_SUMMARY_TEXT = 200_000;

/* Timestamps as toISOString writes them (or with an offset); year 0 is ISO but not PostgreSQL. */
const timestamp = z.iso
  .datetime({ offset: true })
  .refine((at) => !at.startsWith("0000-"), "Year 0 does not exist")
  .describe("ISO 8601; milliseconds are kept, finer digits are not");

/** PostgreSQL `integer`: a larger token count would fail the insert (a 500), so it is a 422 here. */
const count = z.number().int().min(0).max(2_147_483_647);

const text = (max: number) => storableText().max(max, { message: `must be at most ${max.toLocaleString("en-US")} characters` });

/** A model id as stored (not checked against this server's models: a chat may outlive its model). */
const modelId = text(200).min(1);

/** The message parts Parley stores (lib/chat/engine/store.ts): reasoning, then the text. */
const part = z.object({ type: z.enum(["text", "reasoning"]), text: text(MAX_IMPORTED_TEXT) });

export const exportedMessageSchema = z.object({
  id: z.uuid().optional().describe("The exporter's id; an import makes a new one"),
  seq: z.number().int().min(1).max(2_000_000_000).describe("Position in the chat; strictly increasing, gaps allowed"),
  role: z.enum(messageRoles),
  content: text(MAX_IMPORTED_TEXT),
  parts: z.array(part).max(16).optional().describe("AI SDK parts; absent = one text part with the content"),
  status: z.enum(messageStatuses).default("complete"),
  model: modelId.nullable().default(null),
  usage: z
    .object({
      input_tokens: z.number().int().min(0).nullable(),
      output_tokens: z.number().int().min(0).nullable(),
      /** USD as the provider reported it, an exact decimal string (absent in files from before costs were kept). */
      cost: z
        .string()
        .regex(/^\d{1,20}(\.\d{1,20})?$/, "expected a decimal number of US dollars, e.g. 0.00123")
        .nullable()
        .default(null),
    })
    .nullable()
    .default(null),
  error_code: text(200).nullable().default(null),
  created_at: timestamp,
});

export const exportedMemorySchema = z.object({
  summary: text(MAX_SUMMARY_TEXT).nullable(),
  through_seq: count.describe("The summary covers the messages up to this seq (0: none)"),
  updated_at: timestamp.nullable(),
});

export const exportedChatSchema = z.object({
  id: z.uuid().optional(),
  title: chatTitle,
  model: modelId,
  created_at: timestamp,
  updated_at: timestamp,
  last_activity_at: timestamp,
  last_input_tokens: count.nullable().default(null),
  /** A title a person chose (never replaced by a generated one). Absent in older files: false. */
  title_set_by_user: z.boolean().default(false),
  pinned_at: timestamp.nullable().default(null),
  archived_at: timestamp.nullable().default(null),
  memory: exportedMemorySchema.nullable().default(null),
  messages: z.array(exportedMessageSchema),
});

const projectFields = projectCreateSchema.shape;

export const exportedProjectSchema = z.object({
  id: z.uuid().optional(),
  name: projectFields.project_name,
  description: projectFields.project_description.default(null),
  system_prompt: projectFields.system_prompt,
  default_model: modelId.nullable().default(null),
  memory_enabled: projectFields.memory_enabled.default(true),
  memory_threshold: projectFields.memory_threshold.default(null),
  memory_keep_recent: projectFields.memory_keep_recent.default(null),
  created_at: timestamp,
  updated_at: timestamp,
  last_activity_at: timestamp,
  chats: z.array(exportedChatSchema),
});

export const parleyExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exported_at: timestamp,
    projects: z.array(exportedProjectSchema),
  })
  .superRefine((file, ctx) => {
    // What the database would refuse, said up front with the path, so a bad file imports nothing and says why.
    file.projects.forEach((project, p) =>
      project.chats.forEach((chat, c) => {
        const at = ["projects", p, "chats", c];
        let last = 0;
        chat.messages.forEach((message, m) => {
          if (message.seq <= last)
            ctx.addIssue({ code: "custom", path: [...at, "messages", m, "seq"], message: `must be greater than ${last}` });
          last = Math.max(last, message.seq);
        });
        if (chat.memory && chat.memory.through_seq > last)
          ctx.addIssue({
            code: "custom",
            path: [...at, "memory", "through_seq"],
            message: `must not exceed the chat's last message seq (${last})`,
          });
      }),
    );
  })
  .describe("Parley's account export (format parley-export, version 1)");

export type ParleyExport = z.output<typeof parleyExportSchema>;
export type ExportedProject = z.output<typeof exportedProjectSchema>;
export type ExportedChat = z.output<typeof exportedChatSchema>;
export type ExportedMessage = z.output<typeof exportedMessageSchema>;
/** What the export writes: the output shape with every default spelled out. */
export type ExportedMessageOut = z.input<typeof exportedMessageSchema>;
