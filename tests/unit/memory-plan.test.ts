import { describe, expect, it } from "vitest";
import { batchForSummarizer, planSummary, toTurnBoundary, type MemoryMessage } from "@/lib/memory/plan";
import { buildModelInput } from "@/lib/memory/context";
import { extractiveSummary } from "@/lib/memory/extractive";
import { MEMORY_SECTION_START, withMemorySection } from "@/lib/memory/prompt";

const settings = { enabled: true, threshold: 6, keepRecent: 2, contextShare: 0.5 };
const turns = (count: number, from = 1): MemoryMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    role: i % 2 === 0 ? "user" : "assistant",
    content: `message ${from + i}`,
  }));

describe("memory planning", () => {
  it("is due once the uncovered messages beyond the kept ones reach N, cut at a turn boundary", () => {
    expect(planSummary({ uncovered: turns(7), settings, contextWindow: 100_000, instructionTokens: 0 }).due).toBe(false);
    const plan = planSummary({ uncovered: turns(8), settings, contextWindow: 100_000, instructionTokens: 0 });
    expect(plan).toMatchObject({ due: true, reason: "threshold" });
    expect(plan.cover.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // With 9 messages, the cut still ends on an assistant reply (seq 6), never between a question and its answer.
    const odd = planSummary({ uncovered: turns(9), settings, contextWindow: 100_000, instructionTokens: 0 });
    expect(odd.cover.at(-1)?.role).toBe("assistant");
  });

  it("is due sooner when the next turn would pass the token budget", () => {
    const big = turns(4).map((m) => ({ ...m, content: "x".repeat(4000) }));
    const plan = planSummary({ uncovered: big, settings, contextWindow: 4096, instructionTokens: 0 });
    expect(plan).toMatchObject({ due: true, reason: "budget" });
    expect(plan.cover.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("never plans with memory off", () => {
    expect(
      planSummary({ uncovered: turns(100), settings: { ...settings, enabled: false }, contextWindow: 1000, instructionTokens: 0 })
        .due,
    ).toBe(false);
  });

  it("trims to whole turns", () => {
    expect(toTurnBoundary(turns(5)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(toTurnBoundary(turns(1))).toEqual([]);
  });

  it("splits a huge message into parts instead of dropping it", () => {
    const doc = "word ".repeat(20_000); // ~25k tokens
    const batches = batchForSummarizer(
      [
        { seq: 1, role: "user", content: "hi" },
        { seq: 2, role: "user", content: doc },
        { seq: 3, role: "assistant", content: "ok" },
      ],
      2000,
    );
    const parts = batches.flat().filter((m) => m.seq === 2);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.map((p) => p.content).join("")).toBe(doc);
    expect(parts.every((p, i) => p.part?.index === i + 1 && p.part.of === parts.length)).toBe(true);
    expect(batches.flat().map((m) => m.seq)).toContain(3);
  });
});

describe("memory planning at its edges", () => {
  const huge = (count: number) => turns(count).map((m) => ({ ...m, content: "x".repeat(4000) }));

  it("over budget with fewer messages than it keeps, still covers all but the last turn", () => {
    // keepRecent 6 leaves nothing to cover by count; the budget then keeps only the last turn verbatim.
    const plan = planSummary({
      uncovered: huge(4),
      settings: { ...settings, keepRecent: 6 },
      contextWindow: 4096,
      instructionTokens: 0,
    });
    expect(plan).toEqual({ due: true, reason: "budget", cover: huge(4).slice(0, 2) });
  });

  it("over budget with a single turn, has nothing it could cover and is not due", () => {
    const plan = planSummary({ uncovered: huge(2), settings, contextWindow: 4096, instructionTokens: 0 });
    expect(plan).toEqual({ due: false, cover: [] });
  });

  /* Four uncovered messages, two of them kept (byCount: one turn, below the threshold of 6), in a 4,096-token
   * window whose input budget is 2,048. Each message of `chars` characters counts chars / 4 + 4 tokens. */
  const budgetCase = (chars: number, instructionTokens: number, keepRecent = 2) =>
    planSummary({
      uncovered: turns(4).map((m) => ({ ...m, content: "x".repeat(chars) })),
      settings: { ...settings, keepRecent },
      contextWindow: 4096,
      instructionTokens,
    });

  it("counts the next turn as the average uncovered message: due only once the input passes the budget", () => {
    // 1,000 characters = 254 tokens a message: 1,016 verbatim, 254 for the next turn, 1,270 in all.
    expect(budgetCase(1000, 0)).toEqual({ due: false, cover: [] });
    expect(budgetCase(1000, 2048 - 1270)).toEqual({ due: false, cover: [] });
    expect(budgetCase(1000, 2048 - 1270 + 1)).toMatchObject({ due: true, reason: "budget" });
  });

  it("counts at least 64 tokens for the next turn, however short the messages", () => {
    // 4 characters = 5 tokens a message: 20 verbatim, and the next turn 64 (not 5), 84 in all.
    expect(budgetCase(4, 2048 - 84)).toEqual({ due: false, cover: [] });
    expect(budgetCase(4, 2048 - 84 + 1)).toMatchObject({ due: true, reason: "budget" });
  });

  it("over budget, covers what the count would (all but the kept messages), not more", () => {
    // keepRecent 2 leaves one turn to cover; over budget, that turn is the cover, the kept two stay verbatim.
    expect(budgetCase(1000, 2000).cover.map((m) => m.seq)).toEqual([1, 2]);
    // keepRecent 1 leaves seq 1–3, cut to the turn 1–2.
    expect(budgetCase(1000, 2000, 1).cover.map((m) => m.seq)).toEqual([1, 2]);
    // With six messages and four kept, the cover is the first turn, not everything but the last turn.
    const six = planSummary({
      uncovered: turns(6).map((m) => ({ ...m, content: "x".repeat(1000) })),
      settings: { ...settings, keepRecent: 4 },
      contextWindow: 4096,
      instructionTokens: 2000,
    });
    expect(six).toMatchObject({ due: true, reason: "budget" });
    expect(six.cover.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("finds no turn boundary in messages without an assistant reply", () => {
    const questions: MemoryMessage[] = [
      { seq: 1, role: "user", content: "one" },
      { seq: 2, role: "user", content: "two" },
      { seq: 3, role: "user", content: "three" },
    ];
    expect(toTurnBoundary(questions)).toEqual([]);
    expect(toTurnBoundary([])).toEqual([]);
  });

  it("keeps batches in the order of the messages around a message split into parts", () => {
    const batches = batchForSummarizer(
      [
        { seq: 1, role: "user", content: "a".repeat(20) },
        { seq: 2, role: "assistant", content: "b".repeat(1000) },
        { seq: 3, role: "user", content: "c".repeat(20) },
      ],
      10,
    );
    expect(batches.map((batch) => batch.map((m) => `${m.seq}${m.part ? `.${m.part.index}` : ""}`))).toEqual([
      ["1"],
      ["2.1"],
      ["2.2"],
      ["2.3"],
      ["3"],
    ]);
  });

  it("packs whole messages into batches up to the limit, a message that fills one exactly included", () => {
    // 20 characters = 5 estimated tokens: two fill a batch of 10 exactly, the third starts the next one.
    const batches = batchForSummarizer(
      turns(5).map((m) => ({ ...m, content: "y".repeat(20) })),
      10,
    );
    expect(batches.map((batch) => batch.map((m) => m.seq))).toEqual([[1, 2], [3, 4], [5]]);
    // A message of exactly a batch's size is kept whole, not split into parts.
    const exact = batchForSummarizer([{ seq: 1, role: "user", content: "z".repeat(40) }], 10);
    expect(exact).toEqual([[{ seq: 1, role: "user", content: "z".repeat(40) }]]);
  });

  it("cuts a huge message into parts of four characters a token of the batch, and leaves no batch empty", () => {
    const doc = "w".repeat(100_000);
    const batches = batchForSummarizer([{ seq: 1, role: "user", content: doc }], 2000);
    // 2,000 tokens ≈ 8,000 characters a part.
    expect(batches.map((batch) => batch[0]?.content.length)).toEqual([...Array(12).fill(8000), 4000]);
    expect(batches.every((batch) => batch.length === 1)).toBe(true);
    // A tiny batch size still cuts parts of at least 400 characters.
    expect(
      batchForSummarizer([{ seq: 1, role: "user", content: "v".repeat(1000) }], 10).map((b) => b[0]?.content.length),
    ).toEqual([400, 400, 200]);
  });
});

describe("what the model sees", () => {
  it("puts the system prompt, then the delimited summary, in the instructions and later turns as real messages", () => {
    const input = buildModelInput({
      systemPrompt: "Be brief.",
      summary: "The user is Ada.",
      history: turns(2, 7),
      newMessage: "next",
      settings,
      contextWindow: 100_000,
    });
    expect(input.instructions?.startsWith("Be brief.")).toBe(true);
    expect(input.instructions).toContain(MEMORY_SECTION_START);
    expect(input.instructions).toContain("The user is Ada.");
    expect(input.messages).toEqual([
      { role: "user", content: "message 7" },
      { role: "assistant", content: "message 8" },
      { role: "user", content: "next" },
    ]);
    expect(input.omittedTurns).toBe(0);
  });

  it("ignores the summary with memory off and has no instructions when there is nothing to instruct", () => {
    const input = buildModelInput({
      systemPrompt: "",
      summary: "old",
      history: [],
      newMessage: "hi",
      settings: { ...settings, enabled: false },
      contextWindow: 8000,
    });
    expect(input.instructions).toBeUndefined();
    expect(withMemorySection("", null)).toBeUndefined();
  });

  it("leaves the oldest whole turns out of one request when the verbatim part does not fit", () => {
    const long = turns(10).map((m) => ({ ...m, content: "y".repeat(2000) }));
    const input = buildModelInput({
      systemPrompt: "",
      summary: null,
      history: long,
      newMessage: "now",
      settings,
      contextWindow: 4096,
    });
    expect(input.omittedTurns).toBeGreaterThan(0);
    expect(input.omittedTurns % 2).toBe(0);
    expect(input.messages[0].role).toBe("user");
    expect(input.messages.at(-1)).toEqual({ role: "user", content: "now" });
    expect(input.summaryOverdue).toBe(true);
    expect(input.estimatedTokens).toBeLessThanOrEqual(2048);
  });
});

describe("the offline summarizer", () => {
  it("is deterministic, extractive and keeps facts with numbers and names", () => {
    const entries = [
      { seq: 1, role: "user" as const, content: "My name is Ada Lovelace. I like tea." },
      { seq: 2, role: "assistant" as const, content: "Nice to meet you. How can I help?" },
      { seq: 3, role: "user" as const, content: "The budget is 4200 euros." },
    ];
    const first = extractiveSummary(null, entries);
    expect(first).toBe(extractiveSummary(null, entries));
    expect(first).toContain("My name is Ada Lovelace.");
    expect(first).toContain("4200 euros");
    const next = extractiveSummary(first, [{ seq: 4, role: "user", content: "ok" }]);
    expect(next.startsWith(first)).toBe(true);
  });
});
