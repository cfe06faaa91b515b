import { APICallError } from "ai";

/**
 * OpenRouter refused a call made with a user's own key: the key is invalid or revoked (401/403), or its account
 * has no credits left (402). Raised in place of the provider's error for those calls only, so the user is told
 * it is THEIR key (the team's key failing the same way is the operator's problem, and says so less precisely).
 * Carries no upstream text: OpenRouter's body is never shown nor logged.
 */
export class UserKeyRefusedError extends Error {
  constructor(readonly reason: "invalid" | "credits") {
    super(reason === "invalid" ? "OpenRouter refused the user's key" : "the user's OpenRouter key has no credits");
    this.name = "UserKeyRefusedError";
  }
}

/** The refusal a provider error means for a call made with the user's key, or the error unchanged. */
export function asUserKeyError(error: unknown): unknown {
  if (!APICallError.isInstance(error)) return error;
  if (error.statusCode === 401 || error.statusCode === 403) return new UserKeyRefusedError("invalid");
  if (error.statusCode === 402) return new UserKeyRefusedError("credits");
  return error;
}
