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

describe("containsMath", () => {
  it("is true only for a formula outside code", () => {
    expect(containsMath(normalizeMath("Energy $E=mc^2$"))).toBe(true);
    expect(containsMath(normalizeMath(String.raw`\[x^2\]`))).toBe(true);
    expect(containsMath(normalizeMath("It costs $5 and $10"))).toBe(false);
    expect(containsMath(normalizeMath("```\n$x$\n```\n`$y$`"))).toBe(false);
    expect(containsMath(normalizeMath("plain text"))).toBe(false);
  });
});
