import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storableText, toWellFormed } from "@/lib/validation/text";

type WellFormed = { toWellFormed(): string; isWellFormed(): boolean };

describe("#12 storable text", () => {
  it("#12 toWellFormed agrees with the built-in on any UTF-16 (lone, paired and reversed surrogates)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.array(fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00", "\ude00\ud83d"), { maxLength: 6 }),
        (text, extra) => {
          const input = [text, ...extra].join("");
          const mended = toWellFormed(input);
          expect(mended).toBe((input as unknown as WellFormed).toWellFormed());
          expect((mended as unknown as WellFormed).isWellFormed()).toBe(true);
        },
      ),
    );
  });

  it("#12 refuses NUL anywhere, with the message given, and mends before the other checks", () => {
    expect(storableText("Name has a NUL").safeParse("a\u0000").error?.issues[0].message).toBe("Name has a NUL");
    expect(storableText().trim().min(1).parse(" \ud800 ")).toBe("\ufffd");
  });
});
