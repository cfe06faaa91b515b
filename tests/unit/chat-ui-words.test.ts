import { describe, expect, it } from "vitest";
import { compactTokens, contextExplanation, contextLabel, memoryExplanation, memoryLabel } from "@/lib/chat/ui/memory-words";

describe("memory and context in words", () => {
  it("says what memory does, not N and K", () => {
    expect(memoryLabel({ enabled: true, threshold: 20, keepRecent: 6 })).toBe(
      "Memory: summarizes after 20 messages, keeps the last 6",
    );
    expect(memoryLabel({ enabled: true, threshold: 1, keepRecent: 1 })).toBe(
      "Memory: summarizes after 1 message, keeps the last one",
    );
    expect(memoryLabel({ enabled: false, threshold: 20, keepRecent: 6 })).toBe("Memory: off");
  });

  it("explains the settings with their numbers", () => {
    const text = memoryExplanation({ enabled: true, threshold: 1200, keepRecent: 6 });
    expect(text).toContain("Once 1,200 messages beyond the latest 6");
    expect(text).toContain("the latest 6 messages are always sent word for word");
    expect(memoryExplanation({ enabled: false, threshold: 20, keepRecent: 6 })).toMatch(/whole history is sent/);
  });

  it("names the gauge and its unit", () => {
    expect(contextLabel(303, 131_072)).toBe("Context: 303 of 131k tokens used");
    expect(contextLabel(1234, 8000)).toBe("Context: 1.2k of 8k tokens used");
    expect(compactTokens(999)).toBe("999");
    expect(compactTokens(1000)).toBe("1k");
    expect(compactTokens(10_500)).toBe("11k");
  });

  it("gives the exact figures and the share on hover", () => {
    expect(contextExplanation(65_536, 131_072)).toBe(
      "The last turn sent 65,536 tokens to the model, 50% of the 131,072 it can read at once (its context window). Memory keeps long chats within it.",
    );
    expect(contextExplanation(200_000, 131_072)).toContain(", 100% of");
    // A model whose window is not known (0) gets no share out of a division by zero.
    expect(contextExplanation(500, 0)).toContain(", 0% of the 0 it can read");
  });
});
