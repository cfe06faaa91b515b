import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { descNullsLast } from "./order";

/**
 * Keyset pagination over (timestamp desc, id desc), the one implementation behind every list that pages by
 * recent activity (projects, sessions). Keyset, not offset: every page costs what the first does, on the
 * (…, last_activity_at desc, id desc) indexes. Encoding a position for clients is the services' business.
 */

/** The position after a row. `at` is the exact timestamp as text with microseconds: a JS Date keeps only
 * milliseconds, and rows sharing one (PGlite's now() always, PostgreSQL's often) would be skipped. */
export interface KeysetCursor {
  at: string;
  id: string;
}

export interface KeysetPage<Row> {
  rows: Row[];
  /** Set only when `hasMore`: the position after the page's last row. */
  nextCursor?: KeysetCursor;
  hasMore: boolean;
}

export function keyset(columns: { at: AnyColumn; id: AnyColumn }, options: { limit: number; cursor?: KeysetCursor }) {
  const { at, id } = columns;
  const { limit, cursor } = options;
  return {
    /** Select this beside the row: the `at` of the next cursor, to the microsecond, in UTC. */
    exactAt: sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    /** Rows after the cursor. One row comparison, which the index answers as a range (two ORed ones would not). */
    after: cursor ? sql`(${at}, ${id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
    orderBy: [descNullsLast(at), descNullsLast(id)] as [SQL, SQL],
    /** One extra row tells whether another page exists, without a count(*). */
    fetch: limit + 1,
    page<Row>(fetched: Row[], positionOf: (row: Row) => KeysetCursor): KeysetPage<Row> {
      const rows = fetched.slice(0, limit);
      const last = rows.at(-1);
      const hasMore = fetched.length > limit && last !== undefined;
      return { rows, hasMore, nextCursor: hasMore ? positionOf(last) : undefined };
    },
  };
}
