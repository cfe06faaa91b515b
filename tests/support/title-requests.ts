import { TITLE_MARKER } from "@/lib/chats/title-prompt";
import type { ChatRequestBody, OpenRouterStandin } from "./openrouter-standin";

/** The text of a recorded message's content (a string, or OpenAI-style parts). */
export const contentText = (content: unknown): string =>
  Array.isArray(content) ? content.map((p: { text?: string }) => p.text ?? "").join("") : String(content ?? "");

/** True for the title job's requests: a chat's first reply triggers one in the background. */
export const isTitleRequestBody = (body: ChatRequestBody): boolean =>
  contentText(body.messages?.find((m) => m.role === "system")?.content ?? "").includes(TITLE_MARKER);

/**
 * Title requests get their own answer, so they never take a reply a test queued with `once` for a chat turn or a
 * summary. Free of server-only imports: the resilience suite (separate processes) uses it too.
 */
export function answerTitleRequests(standin: OpenRouterStandin, reply: string): void {
  standin.answer("title", isTitleRequestBody, { reply });
}
