import "server-only";
import { createHash } from "node:crypto";

/**
 * The stored id of what the client named `clientId` within `scope`: a version 8 UUID from a hash of both. The same
 * client id in the same scope gives the same id (a retry is recognised); in any other scope a different one,
 * unrelated to any row there. Messages are scoped by their session, new chats by their owner.
 */
export function scopedId(scope: string, clientId: string): string {
  const hex = createHash("sha256").update(`${scope}\u0000${clientId}`).digest("hex");
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
