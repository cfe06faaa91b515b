import { describe, expect, it } from "vitest";
import {
  MEMORY_SECTION_END,
  MEMORY_SECTION_PREAMBLE,
  MEMORY_SECTION_START,
  summarizerPrompt,
  withMemorySection,
} from "@/lib/memory/prompt";

describe("the memory section of the instructions", () => {
  it("follows the trimmed system prompt after a blank line, the summary trimmed between its delimiters", () => {
    expect(withMemorySection("  Be brief.  ", "\n The user is Ada. \n")).toBe(
      `Be brief.\n\n${MEMORY_SECTION_START}\n${MEMORY_SECTION_PREAMBLE}\n\nThe user is Ada.\n${MEMORY_SECTION_END}`,
    );
  });

  it("leaves out a blank system prompt or a blank summary, and is nothing when both are", () => {
    expect(withMemorySection("Be brief.", "   ")).toBe("Be brief.");
    expect(withMemorySection(" \n ", "Ada.")).toBe(
      `${MEMORY_SECTION_START}\n${MEMORY_SECTION_PREAMBLE}\n\nAda.\n${MEMORY_SECTION_END}`,
    );
    expect(withMemorySection("   ", null)).toBeUndefined();
    expect(withMemorySection("", "  ")).toBeUndefined();
  });
});

describe("the summarizer's prompt", () => {
  it("gives the previous summary, then each new message under its number and role, parts labelled", () => {
    expect(
      summarizerPrompt("  The user is Ada.  ", [
        { seq: 3, role: "user", content: "Hello" },
        { seq: 4, role: "assistant", content: "Half of it", part: { index: 1, of: 2 } },
      ]),
    ).toBe("Previous summary:\nThe user is Ada.\n\nNew messages:\n[#3 user]\nHello\n\n[#4 assistant (part 1 of 2)]\nHalf of it");
  });

  it("says there is no summary yet when there is none or it is blank", () => {
    expect(summarizerPrompt(null, [])).toBe("Previous summary:\n(none yet)\n\nNew messages:\n");
    expect(summarizerPrompt(" \n ", [])).toBe("Previous summary:\n(none yet)\n\nNew messages:\n");
  });
});
