import { describe, expect, it } from "vitest";
import { scopedId } from "@/lib/chat/engine/scoped-id";

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("scopedId: the stored id of a client's id within a scope", () => {
  it("is a version 8 UUID, the same for the same client id and scope, another in another scope", () => {
    const id = scopedId("session-a", "msg-1");
    expect(id).toMatch(UUID_V8);
    expect(scopedId("session-a", "msg-1")).toBe(id);
    expect(scopedId("session-b", "msg-1")).not.toBe(id);
    expect(scopedId("session-a", "msg-2")).not.toBe(id);
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(scopedId("ab", "c")).not.toBe(scopedId("a", "bc"));
  });

  it("takes the variant's low bits from the hash, so all four RFC 9562 variants occur", () => {
    const variants = new Set(Array.from({ length: 64 }, (_, i) => scopedId("scope", `id-${i}`).charAt(19)));
    expect([...variants].sort()).toEqual(["8", "9", "a", "b"]);
  });
});
