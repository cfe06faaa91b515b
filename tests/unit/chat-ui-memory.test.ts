import { describe, expect, it } from "vitest";
import { memoryDividerIndex } from "@/components/chat/memory-divider";

const at = (...seqs: Array<number | undefined>) => seqs.map((seq) => ({ metadata: seq === undefined ? {} : { seq } }));

describe("memoryDividerIndex", () => {
  it("sits before the first message the summary does not cover", () => {
    expect(memoryDividerIndex(at(1, 2, 3, 4, 5), 3, false)).toBe(3);
  });

  it("is absent without a summary", () => {
    expect(memoryDividerIndex(at(1, 2, 3), 0, false)).toBe(-1);
  });

  it("is absent when the boundary lies in older pages not loaded yet", () => {
    expect(memoryDividerIndex(at(51, 52), 10, true)).toBe(-1);
    // …but at the very top once everything older is loaded.
    expect(memoryDividerIndex(at(11, 12), 10, false)).toBe(0);
  });

  it("counts a streaming message (no seq yet) as verbatim", () => {
    expect(memoryDividerIndex(at(1, 2, undefined), 2, false)).toBe(2);
  });

  it("is absent when the summary covers everything loaded", () => {
    expect(memoryDividerIndex(at(1, 2), 2, false)).toBe(-1);
  });
});
