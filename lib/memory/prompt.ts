/**
 * The delimiters of the memory section in the model's instructions. The offline model looks for the opening
 * line to report whether a summary was sent, so both sides import it from here.
 */
export const MEMORY_SECTION_START = "<conversation_summary>";
export const MEMORY_SECTION_END = "</conversation_summary>";

export const MEMORY_SECTION_PREAMBLE =
  "Earlier parts of this conversation were summarized to save space. Treat the summary as things you were told before; the messages that follow it are the conversation since.";

/** Marks a request as a summarization job (the offline model answers those extractively). */
export const SUMMARIZER_MARKER = "You maintain the running memory of a conversation.";

export const SUMMARIZER_INSTRUCTIONS = `${SUMMARIZER_MARKER}
Write an updated summary that merges the previous summary with the new messages.
Keep, exactly as written: names of people, places, products and files; numbers, dates, amounts, versions;
decisions made and their reasons; the user's stated preferences and constraints; commitments; and questions
that are still open. Drop greetings and filler. Write plain sentences or short bullet points in the language of
the conversation, in the third person ("The user …", "The assistant …"). Never say that you are summarizing;
never invent anything. Output only the summary.`;

export function withMemorySection(systemPrompt: string, summary: string | null): string | undefined {
  const parts = [];
  if (systemPrompt.trim()) parts.push(systemPrompt.trim());
  if (summary?.trim())
    parts.push(`${MEMORY_SECTION_START}\n${MEMORY_SECTION_PREAMBLE}\n\n${summary.trim()}\n${MEMORY_SECTION_END}`);
  return parts.length ? parts.join("\n\n") : undefined;
}

export interface TranscriptEntry {
  seq: number;
  role: "user" | "assistant";
  content: string;
  /** Set when one message was split to fit the summarizer's window. */
  part?: { index: number; of: number };
}

/** The summarizer's one user message: the previous summary, then exactly the messages it does not cover. */
export function summarizerPrompt(previousSummary: string | null, entries: TranscriptEntry[]): string {
  const lines = entries.map((e) => {
    const label = e.part ? `#${e.seq} ${e.role} (part ${e.part.index} of ${e.part.of})` : `#${e.seq} ${e.role}`;
    return `[${label}]\n${e.content}`;
  });
  return `Previous summary:\n${previousSummary?.trim() || "(none yet)"}\n\nNew messages:\n${lines.join("\n\n")}`;
}
