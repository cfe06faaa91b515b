import { describe, expect, it } from "vitest";
import { extractiveSummary } from "@/lib/memory/extractive";
import type { TranscriptEntry } from "@/lib/memory/prompt";

const user = (seq: number, content: string): TranscriptEntry => ({ seq, role: "user", content });
const assistant = (seq: number, content: string): TranscriptEntry => ({ seq, role: "assistant", content });

describe("the offline summarizer's lines", () => {
  it("are the trimmed previous summary, then each message's first sentence under its role and number", () => {
    expect(
      extractiveSummary("  Earlier: Paris.  \n\n", [
        user(3, "Hello\n\n  there,   Ada. How are you?"),
        assistant(4, "Fine! And you?"),
        { seq: 5, role: "assistant", content: "Half a reply", part: { index: 1, of: 2 } },
      ]),
    ).toBe("Earlier: Paris.\n- User #3: Hello there, Ada.\n- Assistant #4: Fine!\n- Assistant #5 (part 1/2): Half a reply");
  });

  it("skip a message without text, and start from nothing without a previous summary", () => {
    expect(extractiveSummary(null, [user(1, "  \n "), assistant(2, "Ok.")])).toBe("- Assistant #2: Ok.");
    expect(extractiveSummary(null, [])).toBe("");
  });

  it("end the first sentence at . ! or ? before a space or the end, not inside a number", () => {
    expect(extractiveSummary(null, [user(1, "Version 1.2 ships today. More later.")])).toBe(
      "- User #1: Version 1.2 ships today.",
    );
    expect(extractiveSummary(null, [user(1, "no punctuation at all")])).toBe("- User #1: no punctuation at all");
  });

  it("cut a first sentence longer than 200 characters to 199 and an ellipsis", () => {
    const exact = "a".repeat(200);
    expect(extractiveSummary(null, [user(1, exact)])).toBe(`- User #1: ${exact}`);
    expect(extractiveSummary(null, [user(1, "b".repeat(201))])).toBe(`- User #1: ${"b".repeat(199)}…`);
  });
});

describe("the offline summary's bound", () => {
  /** Messages with neither a number nor a name in what they say ("sure thing."), numbered from `from`. */
  const plain = (count: number, from: number) => Array.from({ length: count }, (_, i) => user(from + i, "sure thing."));

  it("keeps only the 40 newest lines without a number or a name, and every line with one", () => {
    const entries = [
      user(1, "We meet in Paris."),
      user(2, "it costs 5 euros."),
      { seq: 3, role: "user" as const, content: "sure thing.", part: { index: 11, of: 12 } },
      ...plain(45, 4),
      user(49, "see you at 7."),
    ];
    const lines = extractiveSummary(null, entries).split("\n");
    expect(lines.slice(0, 2)).toEqual(["- User #1: We meet in Paris.", "- User #2: it costs 5 euros."]);
    // The 40 newest plain lines are counted among the plain ones: the fact after them does not push one out.
    expect(lines.slice(2, -1)).toEqual(plain(40, 9).map((e) => `- User #${e.seq}: sure thing.`));
    expect(lines.at(-1)).toBe("- User #49: see you at 7.");
  });

  it("counts neither the label's number nor a sentence's capital first word as a fact", () => {
    const entries = [user(1, "Sure thing."), ...plain(40, 2)];
    expect(extractiveSummary(null, entries).split("\n")).toHaveLength(40);
    expect(extractiveSummary(null, entries)).not.toContain("#1:");
  });

  it("bounds the previous summary's plain lines the same way", () => {
    const previous = Array.from({ length: 41 }, (_, i) => `note ${String.fromCharCode(97 + (i % 26))}${i >= 26 ? "x" : ""}`);
    expect(extractiveSummary(previous.join("\n"), [])).toBe(previous.slice(1).join("\n"));
  });
});
