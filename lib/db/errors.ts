/**
 * Whether an error means "the database is not reachable right now" (restarting, failing over, network cut),
 * as opposed to a bad query. Such failures are temporary: requests answer 503 instead of 500, and work that
 * must not be lost (a finished reply) waits for the database instead of giving up.
 */

/** postgres.js connection states and the Node socket errors it surfaces. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);

/** SQLSTATEs: class 08 (connection exception), and the server shutting down or not yet accepting connections. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P01|57P02|57P03)$/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  // drizzle wraps driver errors (DrizzleQueryError.cause); a refused dual-stack connect is an AggregateError.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** An error and its causes: drizzle's DrizzleQueryError carries the statement and wraps the driver's error. */
function* causeChain(error: unknown): Generator<Record<string, unknown>> {
  for (
    let link = error, depth = 0;
    link && typeof link === "object" && depth < 6;
    link = (link as { cause?: unknown }).cause, depth++
  ) {
    yield link as Record<string, unknown>;
  }
}

/**
 * A failed statement as a log line: its SQLSTATE and the statement as written (with $1, $2 placeholders). Never
 * the parameters, nor PostgreSQL's message, detail or "where", which quote them: users' chat text, names and
 * prompts would end up in the server log. Undefined when the error is not a failed statement.
 */
export function describeDatabaseError(error: unknown): string | undefined {
  let statement: string | undefined;
  let code: string | undefined;
  let constraint: string | undefined;
  for (const fields of causeChain(error)) {
    if (typeof fields.query === "string") statement ??= fields.query;
    if (typeof fields.code === "string" && SQLSTATE.test(fields.code)) code ??= fields.code;
    const named = fields.constraint_name ?? fields.constraint;
    if (typeof named === "string") constraint ??= named;
  }
  if (statement === undefined && code === undefined) return undefined;
  const on = constraint ? ` (constraint ${constraint})` : "";
  return `database error ${code ?? "without SQLSTATE"}${on} in: ${(statement ?? "an unknown statement").slice(0, 1_000)}`;
}

/** What to hand console.error for any error: a failed statement described safely, anything else as it is. */
export function loggable(error: unknown): unknown {
  return describeDatabaseError(error) ?? error;
}

/** The SQLSTATE of a failed statement (drizzle wraps the driver's error), e.g. "23505" for a unique violation. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const { code } of causeChain(error)) {
    if (typeof code === "string" && SQLSTATE.test(code)) return code;
  }
  return undefined;
}

/**
 * A per-owner cap counted inside a storage transaction was reached: nothing was written. The storage layer
 * knows no HTTP; the service that called it turns this into the API's `limit:<what>` answer.
 */
export class LimitReachedError extends Error {
  constructor(
    readonly what: string,
    readonly max: number,
  ) {
    super(`limit reached: ${what} (${max})`);
    this.name = "LimitReachedError";
  }
}

/** The owner's monthly budget is used up: nothing was written (lib/db/queries/accounts.ts withinBudget). */
export class BudgetExceededError extends Error {
  constructor() {
    super("monthly budget used up");
    this.name = "BudgetExceededError";
  }
}
