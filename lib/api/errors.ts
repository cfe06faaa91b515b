import type { z } from "zod";

/**
 * Typed API errors: `code` is "<type>:<surface>" (e.g. "not_found:project"), `detail` one human sentence.
 * Route handlers throw these; `withApi` turns them into JSON responses. Anything else becomes a generic 500.
 */
export type ErrorType =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "limit"
  | "budget_exceeded"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation"
  | "rate_limited"
  | "upstream"
  | "unavailable"
  | "internal";

const statusOf: Record<ErrorType, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // A quota (lib/config/env.ts limits): the request is fine, the account's state does not allow it. Not 429:
  // waiting does not help, deleting something does.
  limit: 409,
  // The account's monthly budget (set by an admin) is used up. 402, not 429: waiting a minute does not help, only
  // the next month or an admin does; clients must not retry on their own.
  budget_exceeded: 402,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
  internal: 500,
};

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly type: ErrorType;
  readonly surface: string;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    type: ErrorType,
    surface: string,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; status?: number } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.type = type;
    this.surface = surface;
    this.status = options.status ?? statusOf[type];
    this.errors = options.errors;
    this.headers = options.headers;
  }

  get code(): string {
    return `${this.type}:${this.surface}`;
  }

  toBody(): { detail: string; code: string; errors?: FieldError[] } {
    return { detail: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const notFound = (surface: string, what = capitalize(surface)) => new ApiError("not_found", surface, `${what} not found`);
export const unauthorized = () => new ApiError("unauthorized", "auth", "Not authenticated");

export function validationError(surface: string, error: z.ZodError): ApiError {
  const errors = error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(body)", message: issue.message }));
  const first = errors[0];
  const detail = first ? `Invalid ${first.path === "(body)" ? "request body" : first.path}: ${first.message}` : "Invalid request";
  return new ApiError("validation", surface, detail, { errors });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/_/g, " ");
}
