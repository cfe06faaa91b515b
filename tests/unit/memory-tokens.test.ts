import { describe, expect, it } from "vitest";
import { estimateMessageTokens, estimateTokens, inputBudget } from "@/lib/memory/tokens";

describe("token estimates", () => {
  it("count about four characters a token, rounded up, plus four tokens of framing per message", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateMessageTokens("abcd")).toBe(5);
    expect(estimateMessageTokens("")).toBe(4);
  });
});

describe("the input budget of one request", () => {
  it("is the configured share of the window", () => {
    expect(inputBudget(200_000, 0.5)).toBe(100_000);
    expect(inputBudget(8000, 0.5)).toBe(4000);
  });

  it("leaves a quarter of a small window for the reply, whatever the share", () => {
    expect(inputBudget(8000, 1)).toBe(6000);
  });

  it("leaves at most 4,096 tokens for the reply in a large window", () => {
    expect(inputBudget(200_000, 1)).toBe(200_000 - 4096);
  });

  it("is never below 256 tokens", () => {
    expect(inputBudget(300, 0.5)).toBe(256);
  });
});
