import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Sealing users' own API keys at rest: AES-256-GCM under a key derived from AUTH_SECRET with HKDF-SHA256 and a
 * purpose label, so the key that signs sessions is never used as is to encrypt, and a future purpose derives a
 * different key from the same secret. Every encryption draws a fresh random 12-byte IV (GCM must never reuse one
 * under a key); the 16-byte tag makes any change to IV, tag or ciphertext, or a different secret, refuse to open.
 *
 * `keyVersion` names this scheme (cipher + derivation); `keyId` is a fingerprint of the derived key, so a row
 * sealed before AUTH_SECRET was rotated is recognised as such (and reported as "enter your key again") without
 * trying to open it.
 */

export const KEY_VERSION = 1;
const PURPOSE = "parley/user-openrouter-key/v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  keyVersion: number;
  keyId: string;
  /** base64url */
  iv: string;
  tag: string;
  ciphertext: string;
}

export interface SealingKey {
  key: Buffer;
  id: string;
}

/** The AES key for `secret` (AUTH_SECRET's bytes): HKDF-SHA256 with a fixed salt and the purpose label. */
export function deriveSealingKey(secret: Uint8Array): SealingKey {
  const key = Buffer.from(hkdfSync("sha256", secret, "parley", PURPOSE, 32));
  // A fingerprint of the derived key (not of the secret): reveals nothing usable, tells rotated secrets apart.
  const id = createHash("sha256").update("key-id:").update(key).digest("base64url").slice(0, 16);
  return { key, id };
}

export function seal(plaintext: string, sealingKey: SealingKey): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, sealingKey.key, iv, { authTagLength: TAG_BYTES });
  // The version and key id are bound to the ciphertext: a row whose labels were edited does not open either.
  cipher.setAAD(additionalData(KEY_VERSION, sealingKey.id));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    keyVersion: KEY_VERSION,
    keyId: sealingKey.id,
    iv: iv.toString("base64url"),
    tag: cipher.getAuthTag().toString("base64url"),
    ciphertext: ciphertext.toString("base64url"),
  };
}

/** Why a sealed value cannot be opened: sealed under another secret (or scheme), or altered. */
export type OpenFailure = "other_secret" | "tampered";

export class UnsealError extends Error {
  constructor(readonly reason: OpenFailure) {
    super(reason === "other_secret" ? "sealed under another secret" : "sealed value was altered");
    this.name = "UnsealError";
  }
}

/** The plaintext, or UnsealError. The error never carries key material nor the ciphertext. */
export function open(sealed: Sealed, sealingKey: SealingKey): string {
  if (sealed.keyVersion !== KEY_VERSION || sealed.keyId !== sealingKey.id) throw new UnsealError("other_secret");
  const iv = Buffer.from(sealed.iv, "base64url");
  const tag = Buffer.from(sealed.tag, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new UnsealError("tampered");
  try {
    const decipher = createDecipheriv(ALGORITHM, sealingKey.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(sealed.keyVersion, sealed.keyId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new UnsealError("tampered");
  }
}

function additionalData(version: number, keyId: string): Buffer {
  return Buffer.from(`${PURPOSE}|${version}|${keyId}`, "utf8");
}
