import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SSE_DONE, sseComment, sseData, sseEvent } from "@/lib/chat/rest/sse";
import { sseParser } from "@/tests/support/sse";

/** eventsource-parser (what EventSource does), not our code: fed the whole wire text at once. */
const parse = (wire: string) => sseParser()(wire);

describe("SSE encoder", () => {
  it("sends a multi-line delta as several data lines of one event", () => {
    expect(sseData("a\nb")).toBe("data: a\ndata: b\n\n");
    expect(parse(sseData("a\n\nb\n"))).toEqual([{ event: "message", data: "a\n\nb\n" }]);
    expect(parse(sseData(" leading space"))).toEqual([{ event: "message", data: " leading space" }]);
    // A lone CR ends a line too (the generated strings below seldom hold one: CRLF is a single grapheme).
    expect(parse(sseData("a\rb\r\nc"))).toEqual([{ event: "message", data: "a\nb\nc" }]);
  });

  it("round-trips any sequence of deltas, line breaks (LF, CRLF, CR) and control characters included", () => {
    // Models send line breaks in every other token; left to chance, generated strings almost never hold one,
    // and the property passed with the encoder splitting on "\n" only. So they are pieces of their own.
    const piece = fc.oneof(
      fc.string({ unit: "grapheme", minLength: 1 }),
      fc.constantFrom("\n", "\r\n", "\r", "\n\n", "\t", "\0", "\u001b", "\u007f", "\u2028", " "),
      fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1 }),
    );
    const delta = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(fc.array(delta, { maxLength: 20 }), (deltas) => {
        const wire = deltas.map(sseData).join("") + sseComment("keep-alive") + SSE_DONE;
        const events = parse(wire);
        expect(events.at(-1)).toEqual({ event: "message", data: "[DONE]" });
        // CR and CRLF are line ends in SSE: they come back as "\n".
        expect(events.slice(0, -1).map((e) => e.data)).toEqual(deltas.map((d) => d.replace(/\r\n|\r/g, "\n")));
      }),
    );
  });

  it("puts the event id first, so a client can resume with Last-Event-ID", () => {
    expect(sseData("a\nb", 7)).toBe("id: 7\ndata: a\ndata: b\n\n");
    expect(sseData("a", 0)).toBe("id: 0\ndata: a\n\n");
    expect(sseData("a")).toBe("data: a\n\n");
  });

  it("frames named events and comments", () => {
    expect(parse(sseEvent("error", '{"detail":"x"}') + SSE_DONE)).toEqual([
      { event: "error", data: '{"detail":"x"}' },
      { event: "message", data: "[DONE]" },
    ]);
    expect(sseComment("a\nb")).toBe(": a b\n\n");
    // A CRLF is one line break: one space, not two.
    expect(sseComment("a\r\nb")).toBe(": a b\n\n");
    expect(parse(sseComment("keep-alive"))).toEqual([]);
  });
});
