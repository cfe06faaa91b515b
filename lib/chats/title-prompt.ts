import { toWellFormed } from "@/lib/validation/text";

/**
 * The automatic chat title: the request a model is asked (instructions and one prompt holding the first
 * exchange), what Parley keeps of its answer, and the offline model's deterministic title. Pure and client-safe:
 * the offline model (lib/ai) reads the prompt back, the title job (lib/chat/engine/title-hook.ts) writes it.
 */

/** What a chat is called until it has a title (generated after the first reply, or given by its user). */
export const DEFAULT_CHAT_TITLE = "New Chat";

/** Marks a request as a title job (the offline model answers those itself, and tests tell them apart by it). */
/**
 * A chat opened within this long of its first reply may still be waiting for its title: the screen looks again
 * (a new chat's first reply ends on the new-chat page, and the chat's own page opens only afterwards).
 */
export const TITLE_EXPECTED_WITHIN_MS = 30_000;

/** Whether a generated title may still arrive for this chat soon (decides whether the screen keeps looking). */
export function titleExpectedSoon(
  chat: { title: string; titleSetByUser: boolean; messageCount: number; lastActivityAt: Date },
  now = Date.now(),
): boolean {
  return (
    !chat.titleSetByUser &&
    chat.title === DEFAULT_CHAT_TITLE &&
    chat.messageCount <= 2 &&
    now - chat.lastActivityAt.getTime() < TITLE_EXPECTED_WITHIN_MS
  );
}

export const TITLE_MARKER = "You name conversations.";

export const TITLE_INSTRUCTIONS = `${TITLE_MARKER}
Write a title for the conversation below: 2 to 6 words that say what it is about, in the same language as the
user's message (a conversation in French gets a French title). No quotation marks, no trailing punctuation, no
emoji, no "Title:" prefix. Output only the title.`;

/** Longest title kept, in characters (a chat row shows about 30; the REST API's limit is 100). */
export const TITLE_MAX_CHARS = 60;
/** How much of each message the title model reads: the first exchange's opening says what it is about. */
const EXCERPT_CHARS = 1_500;

const QUESTION_START = "User:\n";
const ANSWER_START = "\n\nAssistant:\n";

export function titlePrompt(question: string, answer: string): string {
  return `${QUESTION_START}${excerpt(question)}${ANSWER_START}${excerpt(answer)}`;
}

/** The question of a `titlePrompt`, for the offline model. */
export function questionOfTitlePrompt(prompt: string): string {
  if (!prompt.startsWith(QUESTION_START)) return "";
  const end = prompt.indexOf(ANSWER_START);
  return prompt.slice(QUESTION_START.length, end === -1 ? undefined : end);
}

/**
 * Quotes models wrap titles in: double ones wherever they stand, single ones unless between two letters (an
 * apostrophe: "What's", "l'été").
 */
const QUOTES = /["“”„«»‹›「」『』]|(?<!\p{L})['‘’‚`]|['‘’‚`](?!\p{L})/gu;
/** Punctuation a title does not end with (the prompt asks for none; models add it anyway). */
const TRAILING = /[\s.,;:!?…。、，．！？；：·\-–—]+$/u;
const LEADING = /^[\s.,;:!?…。、，．！？；：·\-–—*#>]+/u;

/**
 * What is kept of a model's answer: its first non-empty line, without a "Title:" label, markdown markers, quotes,
 * or trailing punctuation, whitespace collapsed, at most TITLE_MAX_CHARS (cut at a word when there is one).
 * Empty when nothing usable is left: the caller then keeps the default title.
 */
export function sanitizeTitle(raw: string): string {
  const line =
    toWellFormed(raw)
      .replace(/\u0000/g, "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.replace(QUOTES, "").trim() !== "") ?? "";
  let title = line
    .replace(/^(title|titre|titel|título|titolo)\s*[:：]\s*/i, "")
    .replace(/[*_~]+/g, "")
    .replace(QUOTES, "")
    .replace(/\s+/g, " ")
    .replace(LEADING, "")
    .replace(TRAILING, "");
  if (title.length > TITLE_MAX_CHARS) {
    const cut = title.slice(0, TITLE_MAX_CHARS);
    const space = cut.lastIndexOf(" ");
    title = (space >= TITLE_MAX_CHARS / 2 ? cut.slice(0, space) : cut).replace(TRAILING, "");
  }
  return title;
}

/** The offline model's title: the question's first six words, sanitised like any other answer. */
export function offlineTitle(question: string): string {
  const words = sanitizeTitle(question.replace(/\s+/g, " ")).split(" ").filter(Boolean).slice(0, 6);
  return sanitizeTitle(words.join(" "));
}

function excerpt(text: string): string {
  const flat = text.trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}
