import { APICallError } from "ai";
import { UserKeyRefusedError } from "@/lib/ai/user-key-errors";

/** Why a generation ended early, as stored in messages.error_code and shown to clients (never upstream text). */
export type GenerationErrorCode =
  | "upstream:timeout"
  | "upstream:stall"
  | "upstream:rate_limited"
  | "upstream:model"
  | "upstream:user_key_refused"
  | "upstream:user_key_credits"
  | "internal:generation";

const DETAILS: Record<GenerationErrorCode, string> = {
  "upstream:timeout": "The model took too long to answer and was stopped.",
  "upstream:stall": "The model stopped sending and was cut off.",
  "upstream:rate_limited": "The model provider is rate limiting requests; try again in a moment.",
  "upstream:model": "The model provider failed to answer; try again.",
  "upstream:user_key_refused":
    "Your OpenRouter key was refused by OpenRouter (invalid or revoked): check it in Settings, or remove it to use the team's models.",
  "upstream:user_key_credits":
    "Your OpenRouter key has run out of credits: add credits at openrouter.ai, or remove your key in Settings to use the team's models.",
  "internal:generation": "Something went wrong while generating the reply; try again.",
};

export function generationErrorDetail(code: GenerationErrorCode): string {
  return DETAILS[code];
}

/** Maps whatever the provider threw to one of our codes; the raw error is logged, never sent. */
export function classifyModelError(error: unknown): GenerationErrorCode {
  if (error instanceof UserKeyRefusedError)
    return error.reason === "invalid" ? "upstream:user_key_refused" : "upstream:user_key_credits";
  if (APICallError.isInstance(error)) return error.statusCode === 429 ? "upstream:rate_limited" : "upstream:model";
  if (error instanceof Error && error.name === "TimeoutError") return "upstream:timeout";
  return "upstream:model";
}
