import { describe, expect, it } from "vitest";
import { highlight, highlightTerms, searchTerms, SNIPPET_MAX } from "@/lib/search/terms";
import { toWellFormed } from "@/lib/validation/text";

describe("searchTerms", () => {
  it("splits off the word being typed as a prefix of letters and digits", () => {
    expect(searchTerms("blue wha")).toEqual({ words: "blue ", prefix: "wha" });
    expect(searchTerms("ÉTÉ")).toEqual({ words: "", prefix: "été" });
    expect(searchTerms("c++ deplo")).toEqual({ words: "c++ ", prefix: "deplo" });
    expect(searchTerms("foo-ba")).toEqual({ words: "foo-", prefix: "ba" });
  });

  it("leaves finished, negated, quoted and operator words whole", () => {
    expect(searchTerms("blue whale ")).toEqual({ words: "blue whale " });
    expect(searchTerms('"blue wha')).toEqual({ words: '"blue wha' });
    expect(searchTerms('"blue whale"')).toEqual({ words: '"blue whale"' });
    expect(searchTerms("whale -sha")).toEqual({ words: "whale -sha" });
    expect(searchTerms("whale or")).toEqual({ words: "whale or" });
    expect(searchTerms("a:*")).toEqual({ words: "a:*" });
  });

  it("has nothing to search without a letter or digit", () => {
    for (const q of ["", "   ", "!!!", "🎉", "-", '""', "\u0301"]) expect(searchTerms(q), q).toBeUndefined();
  });
});

describe("highlight", () => {
  const terms = (q: string) => highlightTerms(searchTerms(q)!);

  it("marks every matching word, not excluded ones, and the prefix", () => {
    const text = "The whale and the blue whale; sharks too";
    const { text: out, highlights } = highlight(text, terms('whale -"the blue" sha'));
    expect(out).toBe(text);
    expect(highlights.map(([s, e]) => out.slice(s, e))).toEqual(["whale", "whale", "sharks"]);
  });

  it("cuts a long text around the first match without splitting an emoji", () => {
    const text = `${"🎉".repeat(200)} the needle ${"x ".repeat(300)}`;
    const { text: out, highlights } = highlight(text, terms("needle "));
    expect(out.startsWith("…") && out.endsWith("…")).toBe(true);
    expect(out.length).toBeLessThanOrEqual(SNIPPET_MAX + 2);
    expect(toWellFormed(out)).toBe(out);
    expect(highlights.map(([s, e]) => out.slice(s, e))).toEqual(["needle"]);
  });

  it("starts at the beginning when nothing matches (a title match)", () => {
    expect(highlight("Nothing here", terms("zzz "))).toEqual({ text: "Nothing here", highlights: [] });
  });
});
