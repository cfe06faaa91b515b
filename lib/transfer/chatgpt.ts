import { z } from "zod";
import { chatTitle } from "@/lib/chats/schemas";
import { storableText, toWellFormed } from "@/lib/validation/text";
import { MAX_IMPORTED_TEXT } from "./format";

/**
 * ChatGPT's `conversations.json` (Settings → Data controls → Export on chat.openai.com): a list of conversations,
 * each a tree of message nodes (`mapping`: node id → {id, message | null, parent, children}) whose
 * `current_node` is the leaf the user last saw. Regenerated replies and edited questions are sibling branches;
 * only the current branch is imported, as the user last saw the conversation.
 *
 * The schema is strict about the structure the walk relies on (ids, parent, children, roles) and lenient about
 * the rest, which OpenAI changes without notice: unknown content types and non-string parts (images, files,
 * browsing results) are skipped, not refused.
 */

/** Seconds since the epoch, as ChatGPT writes them (fractional); bounded to years PostgreSQL and Date both hold. */
const epochSeconds = z.number().min(0).max(253_402_300_799).nullable();

const chatgptMessage = z.object({
  id: z.string().max(200),
  author: z.object({ role: z.string().max(50) }),
  create_time: epochSeconds.optional(),
  content: z.object({
    content_type: z.string().max(100),
    parts: z.array(z.unknown()).max(10_000).optional(),
  }),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

const chatgptNode = z.object({
  id: z.string().max(200),
  message: chatgptMessage.nullable(),
  parent: z.string().max(200).nullable(),
  children: z.array(z.string().max(200)),
});

export const chatgptConversationSchema = z.object({
  title: z.string().nullable().optional(),
  create_time: epochSeconds.optional(),
  update_time: epochSeconds.optional(),
  mapping: z.record(z.string().max(200), chatgptNode),
  current_node: z.string().max(200).nullable().optional(),
});

export const chatgptExportSchema = z.array(chatgptConversationSchema).describe("ChatGPT's conversations.json");

export type ChatgptConversation = z.output<typeof chatgptConversationSchema>;

export interface ImportedTurn {
  role: "user" | "assistant";
  content: string;
  model: string | null;
  createdAt: Date;
}

export interface ImportedConversation {
  title: string;
  createdAt: Date;
  updatedAt: Date;
  turns: ImportedTurn[];
}

/** A problem found while walking a conversation, with the path to name in the error. */
export class ConversationError extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

const importedText = storableText().max(MAX_IMPORTED_TEXT, {
  message: `must be at most ${MAX_IMPORTED_TEXT.toLocaleString("en-US")} characters`,
});

/** The text of a node worth keeping, or undefined: user and assistant text only, nothing hidden or empty. */
function textOf(node: z.output<typeof chatgptNode>, path: (string | number)[]): string | undefined {
  const message = node.message;
  if (!message) return undefined;
  if (message.author.role !== "user" && message.author.role !== "assistant") return undefined;
  // System prompts of custom instructions arrive as hidden user messages; they were never part of the talk.
  if (message.metadata?.is_visually_hidden_from_conversation === true) return undefined;
  const { content_type: type, parts } = message.content;
  if (type !== "text" && type !== "multimodal_text") return undefined;
  const strings = (parts ?? []).filter((p): p is string => typeof p === "string");
  const joined = strings.join("\n\n");
  if (joined.trim() === "") return undefined;
  const checked = importedText.safeParse(joined);
  if (!checked.success) throw new ConversationError([...path, "message", "content", "parts"], checked.error.issues[0]!.message);
  return checked.data;
}

/** The model that wrote a reply, when ChatGPT recorded it. */
function modelOf(node: z.output<typeof chatgptNode>): string | null {
  const slug = node.message?.metadata?.model_slug;
  return typeof slug === "string" && slug.length > 0 && slug.length <= 200 ? toWellFormed(slug).replaceAll("\u0000", "") : null;
}

/** Where the walk starts: the current node, or (older exports lack it) the newest leaf. */
function leafOf(conversation: ChatgptConversation): string | undefined {
  const { mapping, current_node: current } = conversation;
  if (current && mapping[current]) return current;
  let newest: { id: string; at: number } | undefined;
  for (const [id, node] of Object.entries(mapping)) {
    if (node.children.length > 0) continue;
    const at = node.message?.create_time ?? 0;
    if (!newest || at >= newest.at) newest = { id, at };
  }
  return newest?.id;
}

const dateOf = (seconds: number | null | undefined): Date | undefined =>
  seconds == null ? undefined : new Date(Math.round(seconds * 1000));

/**
 * The current branch of one conversation, oldest first: from `current_node` up through `parent` to the root,
 * keeping user and assistant text. A parent that is missing or a loop is an error naming the node.
 */
export function walkConversation(conversation: ChatgptConversation, index: number): ImportedConversation {
  const base = ["conversations", index] as (string | number)[];
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let id = leafOf(conversation); id !== undefined;) {
    if (seen.has(id)) throw new ConversationError([...base, "mapping", id, "parent"], "the parent links form a loop");
    seen.add(id);
    chain.push(id);
    const node = conversation.mapping[id]!;
    const parent = node.parent;
    if (parent !== null && !conversation.mapping[parent])
      throw new ConversationError([...base, "mapping", id, "parent"], `names a node that is not in the mapping`);
    id = parent ?? undefined;
  }
  chain.reverse();
  const started = dateOf(conversation.create_time);
  let previous = started ?? new Date(0);
  const turns: ImportedTurn[] = [];
  for (const id of chain) {
    const node = conversation.mapping[id]!;
    const content = textOf(node, [...base, "mapping", id]);
    if (content === undefined) continue;
    // Times never run backwards in a chat: a missing one takes its predecessor's.
    const at = dateOf(node.message?.create_time);
    const createdAt = at && at >= previous ? at : previous;
    previous = createdAt;
    turns.push({ role: node.message!.author.role as "user" | "assistant", content, model: modelOf(node), createdAt });
  }
  const raw = (conversation.title ?? "").trim();
  // Longer titles are cut to Parley's limit rather than refused: the file is not the user's own writing.
  const title = raw === "" ? undefined : chatTitle.safeParse(raw.slice(0, 100));
  if (title && !title.success) throw new ConversationError([...base, "title"], title.error.issues[0]!.message);
  const createdAt = started ?? turns[0]?.createdAt ?? new Date();
  const updatedAt = dateOf(conversation.update_time) ?? turns.at(-1)?.createdAt ?? createdAt;
  return { title: title?.data ?? "", createdAt, updatedAt: updatedAt < createdAt ? createdAt : updatedAt, turns };
}
