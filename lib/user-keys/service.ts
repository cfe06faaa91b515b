import "server-only";
import { ApiError } from "@/lib/api/errors";
import { parseParams } from "@/lib/api/http";
import { shortCache } from "@/lib/auth/short-cache";
import { getAuthSecret } from "@/lib/auth/secret";
import { getConfig } from "@/lib/config/env";
import { getRuntimeSettings } from "@/lib/settings/runtime";
import { deleteUserKey, getUserKeyRow, upsertUserKey } from "@/lib/db/queries/user-keys";
import type { UserOpenRouterKeyRow } from "@/lib/db/schema";
import { deriveSealingKey, open, seal, UnsealError, type SealingKey } from "./crypto";
import { saveUserKeyBody, type UserKeyStatus } from "./schemas";

/**
 * "Bring your own key": a user's own OpenRouter API key, sealed at rest (crypto.ts), used for that user's
 * OpenRouter calls only (lib/ai/models.ts asks `userOpenRouterKey`), never returned (only its last four
 * characters), removable. REST: app/api/v1/me/openrouter-key; Settings: actions.ts.
 */

const SURFACE = "user_key";

/**
 * THE switch for the feature: an admin's run-time choice (/admin), else USER_KEYS_ENABLED. Off too when the server has no stable secret to seal with: without AUTH_SECRET, a shared
 * PostgreSQL is served by instances that each generated their own secret (lib/auth/secret.ts), and a key one
 * sealed the others could not open. When off: keys cannot be saved, and saved ones are not used.
 */
export async function userKeysEnabled(): Promise<boolean> {
  const config = getConfig();
  return (await getRuntimeSettings()).userKeysEnabled && (Boolean(config.authSecret) || config.database.kind === "pglite");
}

let sealingKey: { secret: Uint8Array; key: SealingKey } | undefined;

function currentSealingKey(): SealingKey {
  const secret = getAuthSecret();
  if (sealingKey?.secret !== secret) sealingKey = { secret, key: deriveSealingKey(secret) };
  return sealingKey.key;
}

/**
 * The sealed row per user, for ≤ 5 s: every send asks (its model list depends on the key), and most users have
 * none, so the usual answer costs no round trip. A change made by this process forgets its entry at once; one
 * made on another instance is seen here within 5 s (as auth's revocations, lib/auth/short-cache.ts).
 */
const rows = shortCache<UserOpenRouterKeyRow | null>("user-openrouter-keys", 5_000);

const rowOf = (ownerId: string) => rows.load(ownerId, async () => (await getUserKeyRow(ownerId)) ?? null);

function unsealed(row: UserOpenRouterKeyRow): string | undefined {
  try {
    return open(row, currentSealingKey());
  } catch (error) {
    // Sealed under a previous AUTH_SECRET (or altered): the user is told to enter it again; nothing crashes.
    if (error instanceof UnsealError) return undefined;
    throw error;
  }
}

/** The user's own OpenRouter key for a call, or undefined (none, unreadable, or the feature is off). */
export async function userOpenRouterKey(ownerId: string): Promise<string | undefined> {
  if (!(await userKeysEnabled())) return undefined;
  const row = await rowOf(ownerId);
  return row ? unsealed(row) : undefined;
}

export async function userKeyStatus(ownerId: string): Promise<UserKeyStatus> {
  const [enabled, row] = await Promise.all([userKeysEnabled(), rowOf(ownerId)]);
  return {
    enabled,
    configured: row !== null,
    last4: row?.last4 ?? null,
    readable: row !== null && unsealed(row) !== undefined,
  };
}

/** Saves (or replaces) the caller's key: 403 `forbidden:user_key` when the feature is off, 422 for a malformed key. */
export async function saveUserKey(ownerId: string, body: unknown): Promise<UserKeyStatus> {
  if (!(await userKeysEnabled())) {
    throw new ApiError("forbidden", SURFACE, "Using your own OpenRouter key is turned off on this server");
  }
  const { key } = parseParams(saveUserKeyBody, body, SURFACE);
  await upsertUserKey(ownerId, { ...seal(key, currentSealingKey()), last4: key.slice(-4) });
  rows.forget([ownerId]);
  return userKeyStatus(ownerId);
}

/** Deletes the caller's key (allowed with the feature off too: a user can always take their key back). */
export async function removeUserKey(ownerId: string): Promise<void> {
  await deleteUserKey(ownerId);
  rows.forget([ownerId]);
}
