import { APICallError } from "ai";

/** Why a generation ended early, as stored in messages.error_code and shown to clients (never upstream text). */
export type GenerationErrorCode =
  "upstream:timeout" | "upstream:stall" | "upstream:rate_limited" | "upstream:model" | "internal:generation";

const DETAILS: Record<GenerationErrorCode, string> = {
  "upstream:timeout": "The model took too long to answer and was stopped.",
  "upstream:stall": "The model stopped sending and was cut off.",
  "upstream:rate_limited": "The model provider is rate limiting requests; try again in a moment.",
  "upstream:model": "The model provider failed to answer; try again.",
  "internal:generation": "Something went wrong while generating the reply; try again.",
};

export function generationErrorDetail(code: GenerationErrorCode): string {
  return DETAILS[code];
}

/** Maps whatever the provider threw to one of our codes; the raw error is logged, never sent. */
export function classifyModelError(error: unknown): GenerationErrorCode {
  if (APICallError.isInstance(error)) return error.statusCode === 429 ? "upstream:rate_limited" : "upstream:model";
  if (error instanceof Error && error.name === "TimeoutError") return "upstream:timeout";
  return "upstream:model";
}
