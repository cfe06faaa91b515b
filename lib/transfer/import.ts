import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { ApiError, notFound, type FieldError } from "@/lib/api/errors";
import { getDefaultModelId, getModelInfo } from "@/lib/ai/models";
import { DEFAULT_CHAT_TITLE } from "@/lib/chats/service";
import { getConfig } from "@/lib/config/env";
import { getProjectForNewSession } from "@/lib/db/queries/sessions";
import {
  insertImport,
  type ImportedMessageRow,
  type ImportedProjectRow,
  type ImportedSessionRow,
  type ImportRows,
} from "@/lib/db/queries/transfer";
import { LimitReachedError } from "@/lib/db/errors";
import { chatgptExportSchema, ConversationError, walkConversation } from "./chatgpt";
import { EXPORT_FORMAT, parleyExportSchema, type ExportedChat, type ParleyExport } from "./format";
import type { ImportResult } from "./schemas";

/**
 * Import: Parley's own export (the whole account, or one chat's JSON) or ChatGPT's conversations.json. The file
 * is checked whole before anything is written, so a bad file imports nothing and the error names the place
 * (`conversations[3].mapping.abc.parent: …`); then everything is written in one transaction of batched inserts
 * (lib/db/queries/transfer.ts).
 *
 * Numbering and memory: a Parley file keeps its messages' seq (strictly increasing, gaps allowed, as
 * regenerate leaves them), so the chat continues at last seq + 1 exactly as the app numbers, and a memory summary
 * is kept with the seq it covers, its covered count recomputed from the messages actually imported. ChatGPT
 * messages are numbered 1..n; there is no summary to keep (one is made when the chat continues past the threshold).
 */

const SURFACE = "import";

/** `conversations[3].mapping.abc.parent`: the way a person would point at the place in the file. */
function pathText(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out || "(file)";
}

function invalidFile(prefix: string, issues: { path: readonly PropertyKey[]; message: string }[]): ApiError {
  const errors: FieldError[] = issues
    .slice(0, 20)
    .map((issue) => ({ path: pathText(prefix, issue.path), message: issue.message }));
  const first = errors[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return new ApiError("validation", SURFACE, `Nothing was imported: ${first.path}: ${first.message}${more}`, { errors });
}

type Detected = { kind: "parley"; file: ParleyExport } | { kind: "chatgpt"; file: z.output<typeof chatgptExportSchema> };

function detectAndParse(data: unknown): Detected {
  if (Array.isArray(data)) {
    const parsed = chatgptExportSchema.safeParse(data);
    if (!parsed.success) throw invalidFile("conversations", parsed.error.issues);
    return { kind: "chatgpt", file: parsed.data };
  }
  if (typeof data === "object" && data !== null && (data as { format?: unknown }).format === EXPORT_FORMAT) {
    const parsed = parleyExportSchema.safeParse(data);
    if (!parsed.success) throw invalidFile("", parsed.error.issues);
    return { kind: "parley", file: parsed.data };
  }
  throw new ApiError(
    "validation",
    SURFACE,
    `Nothing was imported: the file is neither a Parley export (an object with "format": "${EXPORT_FORMAT}") nor ChatGPT's conversations.json (a list of conversations)`,
  );
}

function chatRows(chat: ExportedChat, projectId: string): { session: ImportedSessionRow; messages: ImportedMessageRow[] } {
  const id = randomUUID();
  const messages = chat.messages.map<ImportedMessageRow>((m) => ({
    sessionId: id,
    seq: m.seq,
    role: m.role,
    content: m.content,
    parts: m.parts ?? [{ type: "text", text: m.content }],
    status: m.status,
    model: m.model,
    inputTokens: m.usage?.input_tokens ?? null,
    outputTokens: m.usage?.output_tokens ?? null,
    cost: m.usage?.cost ?? null,
    errorCode: m.error_code,
    createdAt: new Date(m.created_at),
  }));
  const memory = chat.memory?.summary != null && chat.memory.through_seq > 0 ? chat.memory : undefined;
  const session: ImportedSessionRow = {
    id,
    projectId,
    title: chat.title,
    model: chat.model,
    lastSeq: chat.messages.at(-1)?.seq ?? 0,
    messageCount: chat.messages.length,
    lastActivityAt: new Date(chat.last_activity_at),
    lastInputTokens: chat.last_input_tokens,
    summary: memory?.summary ?? null,
    summaryThroughSeq: memory?.through_seq ?? 0,
    summaryCoveredMessages: memory ? chat.messages.filter((m) => m.seq <= memory.through_seq).length : 0,
    summaryStatus: memory ? "ready" : "none",
    summaryUpdatedAt: memory?.updated_at ? new Date(memory.updated_at) : null,
    titleSetByUser: chat.title_set_by_user,
    pinnedAt: chat.pinned_at ? new Date(chat.pinned_at) : null,
    archivedAt: chat.archived_at ? new Date(chat.archived_at) : null,
    createdAt: new Date(chat.created_at),
    updatedAt: new Date(chat.updated_at),
  };
  return { session, messages };
}

function parleyRows(file: ParleyExport, intoProjectId: string | undefined): ImportRows {
  const rows: ImportRows = { intoProjectId, projects: [], sessions: [], messages: [] };
  for (const project of file.projects) {
    let projectId = intoProjectId;
    if (!projectId) {
      projectId = randomUUID();
      const row: ImportedProjectRow = {
        id: projectId,
        name: project.name,
        description: project.description,
        systemPrompt: project.system_prompt,
        defaultModel: project.default_model,
        memoryEnabled: project.memory_enabled,
        memoryThreshold: project.memory_threshold,
        memoryKeepRecent: project.memory_keep_recent,
        lastActivityAt: new Date(project.last_activity_at),
        createdAt: new Date(project.created_at),
        updatedAt: new Date(project.updated_at),
      };
      rows.projects.push(row);
    }
    for (const chat of project.chats) {
      const { session, messages } = chatRows(chat, projectId);
      rows.sessions.push(session);
      rows.messages.push(...messages);
    }
  }
  return rows;
}

/** The model new chats of the project would get (createChat's rule), for ChatGPT chats whose models Parley lacks. */
async function modelForProject(defaultModel: string | null): Promise<string> {
  if (defaultModel && (await getModelInfo(defaultModel))?.available) return defaultModel;
  return getDefaultModelId();
}

function chatgptRows(file: z.output<typeof chatgptExportSchema>, projectId: string, model: string) {
  const rows: ImportRows = { intoProjectId: projectId, projects: [], sessions: [], messages: [] };
  let skipped = 0;
  file.forEach((conversation, index) => {
    let walked;
    try {
      walked = walkConversation(conversation, index);
    } catch (error) {
      if (error instanceof ConversationError) throw invalidFile("", [{ path: error.path, message: error.message }]);
      throw error;
    }
    if (walked.turns.length === 0) {
      skipped++;
      return;
    }
    const chat: ExportedChat = {
      title: walked.title || DEFAULT_CHAT_TITLE,
      model,
      created_at: walked.createdAt.toISOString(),
      updated_at: walked.updatedAt.toISOString(),
      last_activity_at: walked.updatedAt.toISOString(),
      title_set_by_user: false,
      pinned_at: null,
      archived_at: null,
      last_input_tokens: null,
      memory: null,
      messages: walked.turns.map((turn, i) => ({
        seq: i + 1,
        role: turn.role,
        content: turn.content,
        status: "complete",
        model: turn.role === "assistant" ? turn.model : null,
        usage: null,
        error_code: null,
        created_at: turn.createdAt.toISOString(),
      })),
    };
    const { session, messages } = chatRows(chat, projectId);
    rows.sessions.push(session);
    rows.messages.push(...messages);
  });
  return { rows, skipped };
}

/** Imports parsed file data for `ownerId`; `intoProjectId` must be the caller's (404 otherwise). */
export async function importData(ownerId: string, data: unknown, options: { intoProjectId?: string }): Promise<ImportResult> {
  const detected = detectAndParse(data);
  const { limits } = getConfig();
  let rows: ImportRows;
  let skipped = 0;
  if (detected.kind === "chatgpt") {
    if (!options.intoProjectId)
      throw new ApiError("validation", SURFACE, "Choose the project to import the ChatGPT conversations into (project_id)", {
        errors: [{ path: "project_id", message: "Required for a ChatGPT file" }],
      });
    const project = await getProjectForNewSession(ownerId, options.intoProjectId);
    if (!project) throw notFound("project");
    ({ rows, skipped } = chatgptRows(detected.file, project.id, await modelForProject(project.defaultModel)));
  } else {
    rows = parleyRows(detected.file, options.intoProjectId);
    // Per project of the file; an existing target project is counted in the transaction.
    if (!options.intoProjectId) {
      for (const [p, project] of detected.file.projects.entries())
        if (project.chats.length > limits.sessionsPerProject)
          throw tooMany("sessions", limits.sessionsPerProject, `projects[${p}]`);
    }
  }
  for (const session of rows.sessions)
    if (session.messageCount! > limits.messagesPerSession)
      throw tooMany("messages", limits.messagesPerSession, `chat "${session.title}"`);
  const written = await insertImport(ownerId, rows, limits).catch((error: unknown) => {
    if (error instanceof LimitReachedError) throw tooMany(error.what, error.max);
    throw error;
  });
  if (!written) throw notFound("project");
  return {
    format: detected.kind,
    project_ids: written.projectIds,
    projects: rows.projects.length,
    chats: rows.sessions.length,
    messages: rows.messages.length,
    skipped,
  };
}

const quotaNames: Record<string, string> = {
  projects: "projects per account (MAX_PROJECTS_PER_USER)",
  sessions: "chats per project (MAX_SESSIONS_PER_PROJECT)",
  messages: "messages per chat (MAX_MESSAGES_PER_SESSION)",
};

function tooMany(what: string, max: number, where?: string): ApiError {
  return new ApiError(
    "limit",
    what,
    `Nothing was imported: it would pass the limit of ${max.toLocaleString("en-US")} ${quotaNames[what] ?? what}${where ? ` (${where})` : ""}`,
  );
}
