import "server-only";
import type { ChatSessionRow, MessageRow, ProjectRow } from "@/lib/db/schema";
import { messagePages } from "./export";

/**
 * One chat as Markdown, for reading and sharing rather than re-importing (the JSON export is for that): a
 * heading per message with who wrote it and when, then its text as written (it is Markdown already). Streamed
 * a page of messages at a time, like the JSON export.
 */

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");

function messageMarkdown(row: MessageRow): string {
  const who = row.role === "user" ? "User" : `Assistant${row.model ? ` (${row.model})` : ""}`;
  const note = row.status === "complete" ? "" : row.status === "incomplete" ? " — stopped before the end" : " — failed";
  const body = row.content.trim() === "" ? "_(no text)_" : row.content;
  return `### ${who} · ${stamp(row.createdAt)}${note}\n\n${body}\n\n`;
}

export async function* chatMarkdown(ownerId: string, project: ProjectRow, session: ChatSessionRow): AsyncGenerator<string> {
  yield `# ${session.title}\n\n- Project: ${project.name}\n- Model: ${session.model}\n- Started: ${stamp(session.createdAt)}\n- Messages: ${session.messageCount}\n\n---\n\n`;
  for await (const page of messagePages(ownerId, session.id)) yield page.map(messageMarkdown).join("");
}

/** A file name any system accepts: ASCII letters, digits and dashes from the title, never empty. */
export function safeFileName(title: string, extension: "md" | "json", now = new Date()): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .replace(/[\s_]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase()
    .slice(0, 60)
    .replace(/-$/, "");
  return `parley-${slug || "chat"}-${now.toISOString().slice(0, 10)}.${extension}`;
}
