import { describe, expect, it } from "vitest";
import type { ProviderMetadata } from "ai";
import { costOf, decimalOf } from "@/lib/chat/engine/usage";
import { exactCost, formatCost, usageLine } from "@/lib/usage/format";
import { usageQuery } from "@/lib/usage/schemas";

describe("reported costs as exact decimal text", () => {
  it("spells exponent forms out and keeps every digit OpenRouter sent", () => {
    expect(decimalOf(0.000123456)).toBe("0.000123456");
    expect(decimalOf(4.2e-7)).toBe("0.00000042");
    expect(decimalOf(1.234e-10)).toBe("0.0000000001234");
    expect(decimalOf(1e21)).toBe("1000000000000000000000");
    expect(decimalOf(12.5)).toBe("12.5");
    expect(decimalOf(0)).toBe("0");
    expect(decimalOf(-1)).toBeNull();
    expect(decimalOf(Number.NaN)).toBeNull();
  });
});

describe("the cost OpenRouter reported", () => {
  it("is read from the provider metadata's openrouter.usage.cost", () => {
    expect(costOf({ openrouter: { usage: { cost: 0.0012, totalTokens: 9 } } })).toBe("0.0012");
    expect(costOf({ openrouter: { usage: { cost: 4.2e-7 } } })).toBe("0.00000042");
  });

  it("is none when any step of the way is missing or not what OpenRouter sends", () => {
    expect(costOf(undefined)).toBeNull();
    expect(costOf({ anthropic: { usage: { cost: 1 } } })).toBeNull();
    expect(costOf({ openrouter: {} })).toBeNull();
    expect(costOf({ openrouter: { usage: null } })).toBeNull();
    expect(costOf({ openrouter: { usage: { tokens: 5 } } })).toBeNull();
    expect(costOf({ openrouter: { usage: { cost: "0.1" } } })).toBeNull();
    // The metadata is JSON from the provider: its types are a hope, not a guarantee.
    expect(costOf({ openrouter: null } as unknown as ProviderMetadata)).toBeNull();
    expect(costOf({ openrouter: "usage" } as unknown as ProviderMetadata)).toBeNull();
  });
});

describe("usage on screen", () => {
  it("reads tokens and cost; zero or no cost is free", () => {
    expect(usageLine({ input_tokens: 1234, output_tokens: 567, cost: "0.0012" })).toBe("1,234 → 567 tokens · $0.0012");
    expect(usageLine({ input_tokens: 5, output_tokens: 2, cost: null })).toBe("5 → 2 tokens · free");
    expect(usageLine({ input_tokens: null, output_tokens: null, cost: "0" })).toBe("free");
    expect(formatCost("0.000123456")).toBe("$0.00012");
    expect(formatCost("0.0099999")).toBe("$0.01");
    expect(formatCost("0.12345")).toBe("$0.123");
    expect(formatCost("3.14159")).toBe("$3.14");
    expect(exactCost("0.000123456")).toBe("$0.000123456 USD");
    expect(exactCost(null)).toBe("free");
  });
});

describe("the usage range", () => {
  it("defaults to the 30 days up to today, and refuses impossible or reversed ranges", () => {
    const today = new Date().toISOString().slice(0, 10);
    const parsed = usageQuery.parse({});
    expect(parsed.to).toBe(today);
    expect((Date.parse(parsed.to) - Date.parse(parsed.from)) / 86_400_000).toBe(29);
    expect(usageQuery.parse({ from: "2024-01-01", to: "2024-12-31" }).group_by).toBe("day");
    expect(usageQuery.safeParse({ from: "2026-02-29" }).success).toBe(false);
    expect(usageQuery.safeParse({ from: "2026-04-02", to: "2026-04-01" }).success).toBe(false);
    expect(usageQuery.safeParse({ from: "2024-01-01", to: "2025-01-03" }).success).toBe(false);
  });
});
