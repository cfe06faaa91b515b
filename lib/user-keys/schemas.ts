import { z } from "zod";

/**
 * A plausible OpenRouter API key: OpenRouter's keys read `sk-or-v1-` and 64 hex digits today; older or other
 * forms are let through as long as they look like a bearer token (printable, no spaces, a sane length), so a
 * new key format does not lock users out. Anything else is refused before it is stored.
 */
export const OPENROUTER_KEY_MAX = 200;

export const openRouterKeySchema = z
  .string()
  .trim()
  .min(20, { message: "is too short to be an OpenRouter key" })
  .max(OPENROUTER_KEY_MAX, { message: `is longer than ${OPENROUTER_KEY_MAX} characters` })
  .regex(/^sk-or-[A-Za-z0-9_-]+$/, { message: 'must be an OpenRouter API key ("sk-or-…")' });

export const saveUserKeyBody = z
  .strictObject({ key: openRouterKeySchema.describe("Your OpenRouter API key; never returned after saving") })
  .describe("Your own OpenRouter API key");

/** What the API says of a saved key: never the key, only whether there is one and its last four characters. */
export const userKeyStatusSchema = z
  .object({
    enabled: z.boolean().describe("Whether this server lets users use their own key (USER_KEYS_ENABLED)"),
    configured: z.boolean().describe("Whether you have saved a key"),
    last4: z.string().nullable().describe("The saved key's last four characters, or null"),
    readable: z
      .boolean()
      .describe(
        "False when the saved key can no longer be decrypted (the server's AUTH_SECRET changed): enter it again. Calls then use the team's key",
      ),
  })
  .describe("Your own OpenRouter key, as far as the API shows it");

export type UserKeyStatus = z.infer<typeof userKeyStatusSchema>;
