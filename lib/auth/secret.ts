import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { getConfig } from "@/lib/config/env";

let cached: Uint8Array | undefined;

/**
 * The key that signs built-in access tokens: AUTH_SECRET, or (without it, which the config only allows where
 * one process owns the data folder) a random secret generated once into the data folder with mode 0600.
 */
export function getAuthSecret(): Uint8Array {
  if (cached) return cached;
  const config = getConfig();
  let secret = config.authSecret;
  if (!secret) {
    const file = path.join(config.dataDir, "auth-secret");
    try {
      secret = fs.readFileSync(file, "utf8").trim();
    } catch {
      fs.mkdirSync(config.dataDir, { recursive: true });
      secret = randomBytes(48).toString("base64url");
      try {
        fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      } catch {
        // Another worker wrote it first: use theirs so both sign with the same key.
        secret = fs.readFileSync(file, "utf8").trim();
      }
    }
  }
  cached = new TextEncoder().encode(secret);
  return cached;
}
