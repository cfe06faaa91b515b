import { describe, expect, it } from "vitest";
import { deriveSealingKey, KEY_VERSION, open, seal, UnsealError, type Sealed } from "@/lib/user-keys/crypto";

const secret = new TextEncoder().encode("a-test-auth-secret-of-at-least-32-characters");
const otherSecret = new TextEncoder().encode("another-auth-secret-of-at-least-32-characters");
const KEY = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/** Flips one bit of a base64url field, keeping its length. */
function flip(field: string): string {
  const bytes = Buffer.from(field, "base64url");
  bytes[0]! ^= 0x01;
  return bytes.toString("base64url");
}

function refusal(sealed: Sealed, key = deriveSealingKey(secret)): UnsealError["reason"] | "opened" {
  try {
    open(sealed, key);
    return "opened";
  } catch (error) {
    if (error instanceof UnsealError) return error.reason;
    throw error;
  }
}

describe("sealing users' API keys (AES-256-GCM, HKDF from AUTH_SECRET)", () => {
  it("opens what it sealed, and the sealed value holds no trace of the key", () => {
    const key = deriveSealingKey(secret);
    const sealed = seal(KEY, key);
    expect(open(sealed, key)).toBe(KEY);
    expect(sealed.keyVersion).toBe(KEY_VERSION);
    expect(Buffer.from(sealed.iv, "base64url")).toHaveLength(12);
    expect(Buffer.from(sealed.tag, "base64url")).toHaveLength(16);
    expect(JSON.stringify(sealed)).not.toContain(KEY.slice(10, 30));
    expect(JSON.stringify(sealed)).not.toContain(Buffer.from(KEY).toString("base64url").slice(0, 20));
  });

  it("derives the same key from the same secret (another instance, a restart) and another from another secret", () => {
    expect(deriveSealingKey(secret).key.equals(deriveSealingKey(secret).key)).toBe(true);
    expect(deriveSealingKey(secret).id).toBe(deriveSealingKey(secret).id);
    expect(deriveSealingKey(otherSecret).id).not.toBe(deriveSealingKey(secret).id);
    // Never the secret itself: derived, 32 bytes.
    expect(deriveSealingKey(secret).key).toHaveLength(32);
    expect(deriveSealingKey(secret).key.equals(Buffer.from(secret).subarray(0, 32))).toBe(false);
  });

  it("draws a fresh IV for every encryption, so the same key never seals to the same bytes", () => {
    const key = deriveSealingKey(secret);
    const seals = Array.from({ length: 200 }, () => seal(KEY, key));
    expect(new Set(seals.map((s) => s.iv)).size).toBe(200);
    expect(new Set(seals.map((s) => s.ciphertext)).size).toBe(200);
  });

  it("refuses a value sealed under another secret (AUTH_SECRET rotated)", () => {
    const sealed = seal(KEY, deriveSealingKey(otherSecret));
    expect(refusal(sealed)).toBe("other_secret");
    // Even relabelled with the current key id, the ciphertext does not open under the current key.
    expect(refusal({ ...sealed, keyId: deriveSealingKey(secret).id })).toBe("tampered");
  });

  it("refuses any change to the ciphertext, the tag, the IV or the labels", () => {
    const sealed = seal(KEY, deriveSealingKey(secret));
    expect(refusal({ ...sealed, ciphertext: flip(sealed.ciphertext) })).toBe("tampered");
    expect(refusal({ ...sealed, tag: flip(sealed.tag) })).toBe("tampered");
    expect(refusal({ ...sealed, iv: flip(sealed.iv) })).toBe("tampered");
    expect(refusal({ ...sealed, tag: sealed.tag.slice(0, 10) })).toBe("tampered");
    expect(refusal({ ...sealed, keyVersion: KEY_VERSION + 1 })).toBe("other_secret");
    expect(refusal(sealed)).toBe("opened");
  });

  it("says nothing of the key in its errors", () => {
    const sealed = seal(KEY, deriveSealingKey(otherSecret));
    try {
      open(sealed, deriveSealingKey(secret));
    } catch (error) {
      expect(String(error)).not.toContain(KEY.slice(-8));
      expect(String(error)).not.toContain(sealed.ciphertext);
    }
  });
});
