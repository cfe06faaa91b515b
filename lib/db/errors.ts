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
