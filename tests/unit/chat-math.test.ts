import { describe, expect, it } from "vitest";
import { containsMath, normalizeMath } from "@/lib/chat/ui/math";

describe("normalizeMath", () => {
  it("turns LaTeX delimiters into the ones remark-math parses", () => {
    expect(normalizeMath(String.raw`So \(E=mc^2\) holds`)).toBe("So $E=mc^2$ holds");
    expect(normalizeMath(String.raw`Area: \[ \pi r^2 \] done`)).toBe("Area: \n$$\n\\pi r^2\n$$\n done");
  });

  it("keeps $…$ and $$…$$ formulas", () => {
    expect(normalizeMath("Energy $E=mc^2$ and $$\\int_0^1 x\\,dx$$")).toBe("Energy $E=mc^2$ and $$\\int_0^1 x\\,dx$$");
  });

  it("escapes dollars that are prices, not formulas", () => {
    expect(normalizeMath("It costs $5 and $10 today")).toBe("It costs \\$5 and \\$10 today");
    expect(normalizeMath("Pay $ 3")).toBe("Pay \\$ 3");
    expect(normalizeMath("one $ in\n\nanother $ there")).toBe("one \\$ in\n\nanother \\$ there");
  });

  it("leaves code alone", () => {
    const fenced = "```sh\necho $HOME \\(x\\)\n```\nand `$PATH`";
    expect(normalizeMath(fenced)).toBe(fenced);
  });
});

describe("normalizeMath, case by case (#18)", () => {
  it.each([
    // [what it is, the reply, what remark-math gets]
    ["LaTeX inline with spaces inside", String.raw`so \( a + b \) holds`, "so $a + b$ holds"],
    ["an escaped dollar stays escaped", String.raw`costs \$5, or $x$`, String.raw`costs \$5, or $x$`],
    ["an escaped dollar opens no formula", String.raw`\$x$`, String.raw`\$x\$`],
    ["a $$ block across lines", "see $$\nx^2\n$$ then $5", "see $$\nx^2\n$$ then \\$5"],
    ["an unclosed $$", "costs $$ maybe", "costs \\$\\$ maybe"],
    ["a space after the opening $", "a $ b$ c", "a \\$ b\\$ c"],
    ["a space before a closing $ (the next $ closes)", "$a $b$", "$a $b$"],
    ["a digit after the closing $", "$x$5", "\\$x\\$5"],
    ["an escaped $ inside a formula", String.raw`$a\$b$`, String.raw`$a\$b$`],
    ["a formula over one line break", "$a\nb$", "$a\nb$"],
    ["no formula across paragraphs", "$a\n\nb$", "\\$a\n\nb\\$"],
    ["no formula across paragraphs after a hard break", "$a\\\n\nb$ and $c$", "\\$a\\\n\nb\\$ and $c$"],
    ["a formula right after a letter", "x$a$", "x$a$"],
  ])("%s", (_, reply, expected) => {
    expect(normalizeMath(reply)).toBe(expected);
  });

  it.each([
    ["prose before a fence is rewritten in place", "Pay $5\n```\n$x\n```", "Pay \\$5\n```\n$x\n```"],
    ["a shorter fence does not close a longer one", "````\n$a\n```\n$b\n````\nafter $5", "````\n$a\n```\n$b\n````\nafter \\$5"],
    ["backticks do not close tildes", "~~~\n$a\n```\n$b\n~~~\n$5", "~~~\n$a\n```\n$b\n~~~\n\\$5"],
    ["a fence line with words after it does not close", "```\n$a\n``` no\n$b\n```\n$5", "```\n$a\n``` no\n$b\n```\n\\$5"],
    ["a closing fence may have spaces after it", "```\n$a\n```   \n$5", "```\n$a\n```   \n\\$5"],
    ["a closing fence may be longer", "```\n$a\n`````\n$5", "```\n$a\n`````\n\\$5"],
    ["an inline span with spaces", "`echo $HOME now` and $7", "`echo $HOME now` and \\$7"],
    ["a double-backtick span holding a backtick", "``cost $5 ` here`` and $6", "``cost $5 ` here`` and \\$6"],
    ["a double-backtick span", "``a $ b`` and $6", "``a $ b`` and \\$6"],
  ])("code: %s", (_, reply, expected) => {
    expect(normalizeMath(reply)).toBe(expected);
  });
});

describe("containsMath", () => {
  it("counts an unescaped $ at the very start", () => {
    expect(containsMath("$x")).toBe(true);
    expect(containsMath("\\$x")).toBe(false);
  });

  it("is true only for a formula outside code", () => {
    expect(containsMath(normalizeMath("Energy $E=mc^2$"))).toBe(true);
    expect(containsMath(normalizeMath(String.raw`\[x^2\]`))).toBe(true);
    expect(containsMath(normalizeMath("It costs $5 and $10"))).toBe(false);
    expect(containsMath(normalizeMath("```\n$x$\n```\n`$y$`"))).toBe(false);
    expect(containsMath(normalizeMath("plain text"))).toBe(false);
  });
});
