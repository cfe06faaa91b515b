import { afterEach, describe, expect, it } from "vitest";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { resetConfigForTests } from "@/lib/config/env";

/** Each proxy appends the address it received the request from; what lies left of our proxies' entries, the client wrote. */
function addressWith(trustProxy: string | undefined, forwardedFor?: string): string | undefined {
  if (trustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = trustProxy;
  resetConfigForTests();
  return clientIpFrom(new Headers(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }));
}

afterEach(() => {
  delete process.env.TRUST_PROXY;
  resetConfigForTests();
});

describe("#12 the client's address", () => {
  it("is unknown without TRUST_PROXY, whatever X-Forwarded-For the client sends", () => {
    expect(addressWith(undefined, "203.0.113.9")).toBeUndefined();
    expect(addressWith("false", "203.0.113.9")).toBeUndefined();
  });

  it("TRUST_PROXY=true takes the entry our one proxy appended (the rightmost), not the spoofable leftmost", () => {
    expect(addressWith("true", "198.51.100.66, 203.0.113.9")).toBe("203.0.113.9");
    expect(addressWith("true", "203.0.113.9")).toBe("203.0.113.9");
    expect(addressWith("1", " 10.0.0.1 ,203.0.113.9 ")).toBe("203.0.113.9");
  });

  it("TRUST_PROXY=2 skips the inner proxy's entry and takes the one the outer proxy appended", () => {
    expect(addressWith("2", "198.51.100.66, 203.0.113.9, 10.0.0.2")).toBe("203.0.113.9");
    // Fewer entries than proxies (a request that skipped the outer one): the leftmost, as Express does.
    expect(addressWith("2", "10.0.0.2")).toBe("10.0.0.2");
  });

  it("is unknown behind a trusted proxy when there is no X-Forwarded-For at all", () => {
    expect(addressWith("true")).toBeUndefined();
    expect(addressWith("true", " , ")).toBeUndefined();
  });
});
