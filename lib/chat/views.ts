import type { ChatSessionRow, MessageRow } from "@/lib/db/schema";
import { memoryStateOf, type MemoryStateView } from "@/lib/memory/state";

/** A session as the REST API returns it: the original's fields, then Parley's additions. */
export interface SessionView {
  id: string;
  project_id: string;
  title: string;
  model: string;
  created_at: string;
  updated_at: string;
  message_count: number;
  last_activity_at: string;
  last_input_tokens: number | null;
  generating: boolean;
  memory: MemoryStateView;
}

export function sessionView(row: ChatSessionRow, now = new Date()): SessionView {
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
  };
}

export interface HistoryMessageView {
  id: string;
  role: "user" | "assistant";
  content: string;
  timestamp: string;
  seq: number;
  status: MessageRow["status"];
  model: string | null;
  error_code: string | null;
  usage: { input_tokens: number | null; output_tokens: number | null } | null;
  parts: unknown[];
}

export function historyMessageView(row: MessageRow): HistoryMessageView {
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    timestamp: row.createdAt.toISOString(),
    seq: row.seq,
    status: row.status,
    model: row.model,
    error_code: row.errorCode,
    usage: row.role === "assistant" ? { input_tokens: row.inputTokens, output_tokens: row.outputTokens } : null,
    parts: row.parts,
  };
}
