import type { TranscriptEntry } from "./prompt";

const MAX_LINE = 200;
const MAX_PLAIN_LINES = 40;

/**
 * The offline model's summarizer: deterministic and extractive. Each new message contributes its first
 * sentence; lines carrying numbers or names (the facts people ask about later) are always kept, the rest only
 * the newest ones, so the summary stays bounded without losing what matters most.
 */
export function extractiveSummary(previousSummary: string | null, entries: TranscriptEntry[]): string {
  const previous = (previousSummary ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const added = entries
    .map((e) => {
      const sentence = firstSentence(e.content);
      if (!sentence) return undefined;
      const who = e.role === "user" ? "User" : "Assistant";
      const part = e.part ? ` (part ${e.part.index}/${e.part.of})` : "";
      return `- ${who} #${e.seq}${part}: ${sentence}`;
    })
    .filter((l): l is string => Boolean(l));
  const lines = [...previous, ...added];
  // What a line says, without its label: the label's number would make every line "hold a number". For names,
  // the first word is left out too (every sentence starts with a capital).
  const salient = (line: string) => {
    const said = line.replace(/^- (User|Assistant) #\d+( \(part \d+\/\d+\))?: /, "");
    return /\d/.test(said) || /\b[A-Z][a-z]+\b/.test(said.replace(/^\S+/, ""));
  };
  const plain = lines.filter((l) => !salient(l));
  const keepPlain = new Set(plain.slice(-MAX_PLAIN_LINES));
  return lines.filter((l) => salient(l) || keepPlain.has(l)).join("\n");
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const match = /^(.+?[.!?])(\s|$)/.exec(flat);
  const sentence = match?.[1] ?? flat;
  return sentence.length > MAX_LINE ? `${sentence.slice(0, MAX_LINE - 1)}…` : sentence;
}
