import { z } from "zod";
import type { ChatSessionRow, MessageRow } from "@/lib/db/schema";
import { memoryStateOf, memoryStateSchema } from "@/lib/memory/state";
import { storedUsageOf } from "@/lib/chat/engine/usage";

/**
 * What the REST API returns for a chat and its messages. The zod shapes are the single definition: the view
 * types derive from them and the OpenAPI document (lib/api/openapi.ts) publishes them, so neither can drift;
 * the conformance test checks real answers against them. REST keeps the original's field names.
 */

const usage = z.object({
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cost: z.string().nullable().describe("USD as an exact decimal string, as the provider reported it; null: none reported"),
});

export const chatViewSchema = z.object({
  id: z.uuid(),
  project_id: z.uuid(),
  title: z.string().describe('"New Chat" until a title is generated after the first reply, or set with PATCH'),
  model: z.string(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  message_count: z.number().int(),
  last_activity_at: z.iso.datetime(),
  last_input_tokens: z.number().int().nullable().describe("Input tokens of the last turn, as the provider reported them"),
  generating: z.boolean().describe("A reply is being generated right now"),
  memory: memoryStateSchema,
  pinned: z.boolean().describe("Listed first in its project (PATCH `pinned`)"),
  archived: z.boolean().describe("Left out of lists unless `?archived=true` (PATCH `archived`)"),
  active_leaf_id: z
    .uuid()
    .nullable()
    .describe("The last message of the branch the chat shows and continues (PUT /api/v1/sessions/{id}/active-leaf)"),
});
export type ChatView = z.output<typeof chatViewSchema>;

export const historyMessageSchema = z.object({
  id: z.uuid(),
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  timestamp: z.iso.datetime(),
  seq: z.number().int().describe("Position in the chat (a total order)"),
  status: z.enum(["complete", "incomplete", "error"]),
  model: z.string().nullable(),
  error_code: z.string().nullable(),
  usage: usage.nullable(),
  parts: z.array(z.unknown()).describe("AI SDK message parts (text, reasoning)"),
  parent_id: z.uuid().nullable().describe("The message this one follows (null: a first message); messages form a tree"),
  versions: z
    .array(z.uuid())
    .describe(
      "The ids of this message's versions (its siblings and itself, oldest first): an edit or a regenerated reply adds one",
    ),
});
export type HistoryMessageView = z.output<typeof historyMessageSchema>;

export function chatView(row: ChatSessionRow, now = new Date()): ChatView {
  return {
    id: row.id,
    project_id: row.projectId,
    title: row.title,
    model: row.model,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    message_count: row.messageCount,
    last_activity_at: row.lastActivityAt.toISOString(),
    last_input_tokens: row.lastInputTokens,
    generating: row.generationId !== null && (row.generationExpiresAt === null || row.generationExpiresAt > now),
    memory: memoryStateOf(row, now),
    pinned: row.pinnedAt !== null,
    archived: row.archivedAt !== null,
    active_leaf_id: row.activeLeafId,
  };
}

export function historyMessageView(row: MessageRow & { versionIds?: string[] }): HistoryMessageView {
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    timestamp: row.createdAt.toISOString(),
    seq: row.seq,
    status: row.status,
    model: row.model,
    error_code: row.errorCode,
    usage: row.role === "assistant" ? storedUsageOf(row) : null,
    parts: row.parts,
    parent_id: row.parentId,
    versions: row.versionIds ?? [row.id],
  };
}
