import { describe, expect, it } from "vitest";
import { buildModelInput } from "@/lib/memory/context";
import type { MemoryMessage } from "@/lib/memory/plan";

const settings = { enabled: true, threshold: 6, keepRecent: 2, contextShare: 0.5 };
/** `count` messages, user and assistant in turn, each of `chars` characters (chars / 4 + 4 tokens). */
const history = (count: number, chars: number): MemoryMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    role: i % 2 === 0 ? "user" : "assistant",
    content: String(i + 1).padEnd(chars, "y"),
  }));

/* No system prompt and no summary: the instructions count nothing, "now" counts 5 tokens. A 4,096-token window
 * gives an input budget of 2,048. */
const build = (messages: MemoryMessage[], contextWindow = 4096, newMessage = "now") =>
  buildModelInput({ systemPrompt: "", summary: null, history: messages, newMessage, settings, contextWindow });

describe("the model's input within its budget", () => {
  it("sends everything, and says no summary is overdue, when it fits", () => {
    const input = build(history(2, 40));
    expect(input).toEqual({
      instructions: undefined,
      messages: [
        { role: "user", content: history(2, 40)[0]!.content },
        { role: "assistant", content: history(2, 40)[1]!.content },
        { role: "user", content: "now" },
      ],
      omittedTurns: 0,
      estimatedTokens: 5 + 14 + 14,
      summaryOverdue: false,
    });
  });

  it("leaves out the oldest whole turn (question and reply) while the input is over the budget", () => {
    // Six messages of 404 tokens and the new one: 2,429 tokens; one turn less: 1,621.
    const input = build(history(6, 1600));
    expect(input.omittedTurns).toBe(2);
    expect(input.estimatedTokens).toBe(1621);
    expect(input.summaryOverdue).toBe(true);
    expect(input.messages.map((m) => m.content.slice(0, 1))).toEqual(["3", "4", "5", "6", "n"]);
  });

  it("keeps everything when the input is exactly the budget", () => {
    // A 4,858-token window gives a budget of exactly 2,429 tokens.
    const input = build(history(6, 1600), 4858);
    expect(input.omittedTurns).toBe(0);
    expect(input.estimatedTokens).toBe(2429);
    expect(input.summaryOverdue).toBe(false);
  });

  it("leaves every turn out when the new message alone is over the budget, and stops there", () => {
    const huge = "z".repeat(20_000);
    expect(build(history(6, 40), 4096, huge)).toMatchObject({
      messages: [{ role: "user", content: huge }],
      omittedTurns: 6,
      estimatedTokens: 5004,
      summaryOverdue: true,
    });
    expect(build([], 4096, huge)).toMatchObject({ omittedTurns: 0, estimatedTokens: 5004, summaryOverdue: false });
  });

  it("counts the instructions, and a reply that failed before any text is not sent", () => {
    const input = buildModelInput({
      systemPrompt: "Be brief.",
      summary: null,
      history: [
        { seq: 1, role: "user", content: "first" },
        { seq: 2, role: "assistant", content: "  \n " },
        { seq: 3, role: "user", content: "again" },
        { seq: 4, role: "assistant", content: "" },
      ],
      newMessage: "now",
      settings,
      contextWindow: 4096,
    });
    expect(input.messages).toEqual([
      { role: "user", content: "first" },
      { role: "user", content: "again" },
      { role: "user", content: "now" },
    ]);
    // "Be brief." 3 tokens, "now" 5, "first" and "again" 6 each.
    expect(input.estimatedTokens).toBe(3 + 5 + 6 + 6);
  });
});
