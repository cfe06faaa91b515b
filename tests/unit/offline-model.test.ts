import { describe, expect, it } from "vitest";
import { generateText, streamText } from "ai";
import { createOfflineModel, parseSummarizerPrompt, splitWords } from "@/lib/ai/offline-model";
import { MEMORY_SECTION_START, SUMMARIZER_INSTRUCTIONS, summarizerPrompt, withMemorySection } from "@/lib/memory/prompt";
import { extractiveSummary } from "@/lib/memory/extractive";

const model = () => createOfflineModel({ wordDelayMs: 0 });

describe("offline model", () => {
  it("streams word by word, deterministically, and the words join back to the reply", async () => {
    const run = async () => {
      const result = streamText({ model: model(), messages: [{ role: "user", content: "Hello offline world" }] });
      const deltas: string[] = [];
      for await (const part of result.stream) if (part.type === "text-delta") deltas.push(part.text);
      return { deltas, text: await result.text, usage: await result.usage };
    };
    const a = await run();
    const b = await run();
    expect(a.deltas.length).toBeGreaterThan(20);
    expect(a.deltas.join("")).toBe(a.text);
    expect(b.text).toBe(a.text);
    for (const d of a.deltas) expect(d.trim().split(/\s+/).length).toBeLessThanOrEqual(1);
    expect(a.usage.inputTokens).toBeGreaterThan(0);
    expect(a.usage.outputTokens).toBe(Math.ceil(a.text.length / 4));
  });

  it("states what context it received and includes markdown", async () => {
    const bare = await generateText({ model: model(), messages: [{ role: "user", content: "Just me" }] });
    expect(bare.text).toContain("Instructions: none");
    expect(bare.text).toContain("Memory summary: none");
    expect(bare.text).toContain("Earlier turns: 0");
    expect(bare.text).toContain("“Just me”");
    expect(bare.text).toMatch(/^- /m);
    expect(bare.text).toContain("**offline model**");

    const full = await generateText({
      model: model(),
      instructions: withMemorySection("Be kind.", "The user is called Ada."),
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: "two" },
        { role: "user", content: "three" },
        { role: "assistant", content: "four" },
        { role: "user", content: "A much longer final question that goes on and on beyond the eighty characters we echo back" },
      ],
    });
    expect(full.text).toContain("Instructions: yes (8 characters)");
    expect(full.text).toContain("Memory summary: yes");
    expect(full.text).toContain("Earlier turns: 2");
    expect(full.text).toContain("A much longer final question");
    expect(full.text).not.toContain("eighty characters we echo back");
  });

  it("a summary alone is not mistaken for project instructions", async () => {
    const onlySummary = await generateText({ model: model(), instructions: withMemorySection("", "Facts."), prompt: "hi" });
    expect(withMemorySection("", "Facts.")).toContain(MEMORY_SECTION_START);
    expect(onlySummary.text).toContain("Instructions: none");
    expect(onlySummary.text).toContain("Memory summary: yes");
  });

  it("summarizes extractively when asked by memory, exactly as lib/memory's extractive summarizer", async () => {
    const entries = [
      { seq: 3, role: "user" as const, content: "My name is Ada and I need 3 tickets." },
      { seq: 4, role: "assistant" as const, content: "Sure.\nThree tickets it is." },
    ];
    const { text } = await generateText({
      model: model(),
      instructions: SUMMARIZER_INSTRUCTIONS,
      prompt: summarizerPrompt("Earlier: Paris.", entries),
    });
    expect(text).toBe(extractiveSummary("Earlier: Paris.", entries));
    expect(parseSummarizerPrompt(summarizerPrompt(null, entries))).toEqual({ previous: null, entries });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const result = streamText({
      model: createOfflineModel({ wordDelayMs: 20 }),
      prompt: "hi",
      abortSignal: controller.signal,
      onError: () => {},
    });
    let seen = 0;
    for await (const part of result.stream) {
      if (part.type === "text-delta" && ++seen === 3) controller.abort();
    }
    expect(seen).toBeLessThan(10);
  });

  it("splits words keeping whitespace", () => {
    expect(splitWords("a  b\n\nc")).toEqual(["a  ", "b\n\n", "c"]);
  });
});
