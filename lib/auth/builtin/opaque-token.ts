import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** Refresh and reset tokens: 32 random bytes for the client, only their sha256 in the database. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
