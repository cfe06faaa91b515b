import type { UIMessage } from "ai";
import type { ChatMessageMetadata as StreamedMetadata } from "./ui-contract";

/**
 * The chat screen's message shape and the conversion from stored rows. Shared by the server page (which
 * converts rows before handing them to the client) and the client (which reads the metadata), so it must not
 * import "server-only" or the database.
 */

export type ChatMessageStatus = NonNullable<StreamedMetadata["status"]>;

/** What the chat route streams as message metadata, plus what only stored rows have. */
export interface ChatMessageMetadata extends Omit<StreamedMetadata, "model"> {
  /** The stored sequence number (absent on messages still streaming): places the memory divider. */
  seq?: number;
  model?: string | null;
  errorCode?: string | null;
  /** The ids of the message's versions (its siblings and itself, oldest first): `‹ n/m ›` when more than one. */
  versions?: string[];
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata>;

/** The columns of a stored message the screen needs (a MessageRow satisfies it). */
export interface StoredMessage {
  id: string;
  seq?: number;
  role: "user" | "assistant";
  content: string;
  parts: unknown[];
  status: ChatMessageStatus;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: string | null;
  errorCode: string | null;
  versionIds?: string[];
}

type Part = ChatUIMessage["parts"][number];

/**
 * Keeps only the parts the screen can render. Stored parts were written by the AI SDK, but the column is
 * jsonb: a row written by another client (or an older version) must not crash the page.
 */
function sanitizeParts(parts: unknown[]): Part[] {
  const kept: Part[] = [];
  for (const part of parts) {
    if (!part || typeof part !== "object") continue;
    const { type, text } = part as { type?: unknown; text?: unknown };
    if ((type === "text" || type === "reasoning") && typeof text === "string") kept.push({ type, text });
  }
  return kept;
}

export function storedMessageToUIMessage(row: StoredMessage): ChatUIMessage {
  // Stryker disable next-line ArrayDeclaration: equivalent (a non-object entry is dropped by sanitizeParts)
  let parts = sanitizeParts(Array.isArray(row.parts) ? row.parts : []);
  // Rows without usable parts still have their text in `content` (e.g. written through the REST API).
  if (!parts.some((p) => p.type === "text") && row.content) parts = [...parts, { type: "text", text: row.content }];
  const metadata: ChatMessageMetadata = { status: row.status, model: row.model };
  if (row.seq !== undefined) metadata.seq = row.seq;
  if (row.inputTokens != null || row.outputTokens != null || row.cost != null) {
    metadata.usage = { input_tokens: row.inputTokens, output_tokens: row.outputTokens, cost: row.cost };
  }
  if (row.errorCode) metadata.errorCode = row.errorCode;
  if (row.versionIds && row.versionIds.length > 1) metadata.versions = row.versionIds;
  return { id: row.id, role: row.role, parts, metadata };
}

/** The message's visible text (what the copy button copies): its text parts joined, reasoning left out. */
export function messageText(message: Pick<ChatUIMessage, "parts">): string {
  return message.parts
    .filter((p): p is Extract<Part, { type: "text" }> => p.type === "text")
    .map((p) => p.text)
    .join("");
}

/** The reasoning a model showed, joined; empty for models that do not reason. */
export function messageReasoning(message: Pick<ChatUIMessage, "parts">): string {
  return message.parts
    .filter((p): p is Extract<Part, { type: "reasoning" }> => p.type === "reasoning")
    .map((p) => p.text)
    .join("\n\n");
}

/**
 * Puts an older page in front of what is loaded. Ids already shown are skipped: a reply stored while the page
 * was loading can be in both.
 */
export function prependOlder<T extends { id: string }>(older: T[], current: T[]): T[] {
  const shown = new Set(current.map((m) => m.id));
  return [...older.filter((m) => !shown.has(m.id)), ...current];
}

/** What the stop route answers: the chat's last reply as stored once the stop took effect. */
export interface StopResult {
  stopped: boolean;
  reply?: { id: string; status: ChatMessageStatus };
}

/**
 * The screen after a Stop, matching what a reload would show. The reply being streamed is marked Stopped; a
 * Stop pressed before the first word arrived leaves no reply on screen, so the stored (empty) one is added.
 */
export function markStopped(all: ChatUIMessage[], stored: StopResult["reply"]): ChatUIMessage[] {
  const last = all.at(-1);
  if (last?.role === "assistant") {
    if (last.metadata?.status === "complete") return all;
    return [...all.slice(0, -1), { ...last, metadata: { ...last.metadata, status: "incomplete" } }];
  }
  if (last?.role === "user" && stored && stored.status !== "complete") {
    return [...all, { id: stored.id, role: "assistant", parts: [], metadata: { status: stored.status } }];
  }
  return all;
}
