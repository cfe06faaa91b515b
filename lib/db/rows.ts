/**
 * The rows of a raw `execute()`: postgres.js answers with the rows themselves, PGlite with `{ rows }`. The one
 * place that knows, for every raw statement (the claim, search, usage, the exposure check).
 */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}
