import { describe, expect, it } from "vitest";
import { offlineTitle, questionOfTitlePrompt, sanitizeTitle, TITLE_MAX_CHARS, titlePrompt } from "@/lib/chats/title-prompt";

describe("sanitizeTitle: what is kept of a title model's answer", () => {
  it.each([
    ['"Planning a Trip to Lisbon."', "Planning a Trip to Lisbon"],
    ["“Voyage à Lisbonne”", "Voyage à Lisbonne"],
    ["«Reise nach Lissabon»!", "Reise nach Lissabon"],
    ["Title: Budget spreadsheet help", "Budget spreadsheet help"],
    ["**Debugging a React hook**", "Debugging a React hook"],
    ["# Markdown heading title", "Markdown heading title"],
    ["\n\n  Tax   return\tquestions?  \nSecond line", "Tax return questions"],
    ["What's new in Node 24…", "What's new in Node 24"],
    ["'Quoted in singles'", "Quoted in singles"],
    ["l'été à Paris.", "l'été à Paris"],
    ["「東京の旅行計画」。", "東京の旅行計画"],
    ['"…"', ""],
    ["   ", ""],
    ["Null\u0000byte", "Nullbyte"],
  ])("%j → %j", (raw, expected) => {
    expect(sanitizeTitle(raw)).toBe(expected);
  });

  it(`caps at ${TITLE_MAX_CHARS} characters, at a word when there is one`, () => {
    const long = sanitizeTitle(`A ${"very ".repeat(30)}long title.`);
    expect(long.length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect(long).toMatch(/^A very( very)+$/);
    const unbroken = sanitizeTitle("x".repeat(200));
    expect(unbroken).toBe("x".repeat(TITLE_MAX_CHARS));
  });
});

describe("the offline model's title", () => {
  it("is the question's first six words, deterministic, read back from the prompt", () => {
    const prompt = titlePrompt("  How do I bake bread at home without yeast?  ", "You can use a sourdough starter.");
    expect(questionOfTitlePrompt(prompt)).toBe("How do I bake bread at home without yeast?");
    expect(offlineTitle(questionOfTitlePrompt(prompt))).toBe("How do I bake bread at");
    expect(offlineTitle("Hi!")).toBe("Hi");
    expect(questionOfTitlePrompt("not a title prompt")).toBe("");
  });
});
