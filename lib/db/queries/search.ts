import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { KeysetCursor } from "./keyset";
import { getDb } from "@/lib/db/client";
import { rowsOf as rowsOfResult } from "@/lib/db/rows";
import { chatSessions, messages } from "@/lib/db/schema";
import { onActivePath } from "./messages";
import type { SearchTerms } from "@/lib/search/terms";

/**
 * Full-text search over the caller's chats: message text (messages.search_vector) and titles
 * (chat_sessions.search_vector). Every statement filters on owner_id itself.
 *
 * Order: recency among matches — a chat's position is its newest matching message (or its last activity when
 * only the title matches), newest first. Not rank first: ranking needs every match scored, which for a word in
 * half a million messages is seconds, while "the newest N matches" can stop early. Within a chat, the message
 * shown is the best ranked (ts_rank) of its matches in the window.
 *
 * The newest matches are found in two steps, because no single plan is fast for both kinds of word, and the
 * planner's guess between them (from sampled word statistics) was wrong both ways at a million messages (4 s
 * for a rare word walked through every message, 1.6 s for a common one fetched through the GIN index):
 *   1. the user's RECENT newest messages, on (owner_id, created_at), filtered: enough for any common word;
 *   2. only if that found fewer than `window`, the older ones through the GIN index, whose owner lexeme
 *      (schema.ts) confines the scan to this user's entries: fast for a rare word whatever others wrote.
 *
 * Pages: the newest `window` matching messages after the cursor are grouped per chat. A chat whose matches
 * span pages can appear again on a later page with an older message.
 */

export interface SearchHitRow {
  sessionId: string;
  projectId: string;
  title: string;
  /** Null when only the title matches. */
  messageId: string | null;
  /** The matching message's text (its first CONTENT_MAX characters); null when only the title matches. */
  content: string | null;
  /** The message's time, or the chat's last activity when only the title matches. */
  createdAt: Date;
  position: KeysetCursor;
}

export interface SearchPage {
  rows: SearchHitRow[];
  nextCursor?: KeysetCursor;
}

/** Matching messages looked at per page, per chat asked for: enough that one long chat does not fill a page. */
const WINDOW_PER_CHAT = 5;
/** Step 1 reads this many of the user's newest messages: ~10 ms, and a word in 1% of them fills a window. */
export const RECENT = 10_000;
/** Enough of a message to cut a snippet from (terms.ts highlight), however long the message. */
const CONTENT_MAX = 20_000;

const exact = (at: SQL) => sql`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The user's query as a tsquery. User text only ever reaches PostgreSQL as a bound parameter. */
function tsquery(terms: SearchTerms): SQL {
  const words = sql`websearch_to_tsquery('simple', ${terms.words}::text)`;
  if (!terms.prefix) return words;
  // `prefix` holds letters, marks and digits only (terms.ts): quoted, it is one lexeme with no operators.
  return sql`(${words} && to_tsquery('simple', ${`'${terms.prefix}':*`}::text))`;
}

interface Hit {
  id: string;
  session_id: string;
  at: string;
  rank: number;
}

/** The rows of one raw statement. */
async function rowsOf<T>(statement: SQL): Promise<T[]> {
  const db = await getDb();
  return rowsOfResult<T>(await db.execute(statement));
}

const before = (column: { at: SQL; id: SQL }, cursor?: KeysetCursor) =>
  cursor ? sql`and (${column.at}, ${column.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``;

/** The newest `window` messages of the owner matching `query`, after `cursor`, newest first (see above). */
async function newestMatches(ownerId: string, query: SQL, window: number, cursor?: KeysetCursor): Promise<Hit[]> {
  const after = before({ at: sql`m.created_at`, id: sql`m.id` }, cursor);
  // The inner LIMIT fences the plan: read the newest RECENT rows on the index (NULLS LAST, as it is built:
  // order.ts), then filter them.
  const recent = await rowsOf<Hit>(sql`
    select r.id, r.session_id, ${exact(sql`r.created_at`)} as at, ts_rank(r.search_vector, ${query}) as rank
      from (select m.id, m.session_id, m.seq, m.created_at, m.search_vector
              from ${messages} m
             where m.owner_id = ${ownerId}::uuid ${after}
             order by m.created_at desc nulls last, m.id desc nulls last
             limit ${RECENT}) r
     where r.search_vector @@ ${query}
       and ${onActivePath(ownerId, sql`r.session_id`, sql`r.id`, sql`r.seq`)}
     order by r.created_at desc nulls last, r.id desc nulls last
     limit ${window}`);
  if (recent.length >= window) return recent;
  // Where step 1 stopped: the RECENT-th newest message, if the user has that many (index-only on the btree).
  const [edge] = await rowsOf<{ at: string; id: string }>(sql`
    select ${exact(sql`m.created_at`)} as at, m.id
      from ${messages} m
     where m.owner_id = ${ownerId}::uuid ${after}
     order by m.created_at desc nulls last, m.id desc nulls last
     offset ${RECENT - 1} limit 1`);
  if (!edge) return recent;
  const older = await rowsOf<Hit>(sql`
    select m.id, m.session_id, ${exact(sql`m.created_at`)} as at, ts_rank(m.search_vector, ${query}) as rank
      from ${messages} m
     where m.owner_id = ${ownerId}::uuid
       and m.search_vector @@ (${query} && ${`'#${ownerId}'`}::tsquery)
       and (m.created_at, m.id) < (${edge.at}::timestamptz, ${edge.id}::uuid)
       and ${onActivePath(ownerId, sql`m.session_id`, sql`m.id`, sql`m.seq`)}
     -- Plain DESC (NULLS FIRST) on purpose: it does not match messages_owner_created_idx, so the planner cannot
     -- choose to walk every older message of the user for a word it wrongly thinks common; GIN finds them.
     order by m.created_at desc, m.id desc
     limit ${window - recent.length}`);
  return [...recent, ...older];
}

/** Position order: (at desc, id desc), on the exact UTC texts (fixed width) and lowercase uuids. */
const compare = (a: KeysetCursor, b: KeysetCursor) =>
  a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1;

export async function searchChats(
  ownerId: string,
  terms: SearchTerms,
  options: { limit: number; cursor?: KeysetCursor },
): Promise<SearchPage> {
  const { limit, cursor } = options;
  const query = tsquery(terms);
  const window = limit * WINDOW_PER_CHAT;
  const [hits, titled] = await Promise.all([
    newestMatches(ownerId, query, window, cursor),
    rowsOf<{ id: string; at: string }>(sql`
      select cs.id, ${exact(sql`cs.last_activity_at`)} as at
        from ${chatSessions} cs
       where cs.owner_id = ${ownerId}::uuid and cs.search_vector @@ ${query}
             ${before({ at: sql`cs.last_activity_at`, id: sql`cs.id` }, cursor)}
       order by cs.last_activity_at desc nulls last, cs.id desc nulls last
       limit ${limit + 1}`),
  ]);

  // Per chat: its position (newest match, or activity for a title match) and its best ranked message.
  const chats = new Map<string, { position: KeysetCursor; best?: Hit }>();
  for (const hit of hits) {
    const chat = chats.get(hit.session_id);
    if (!chat) chats.set(hit.session_id, { position: { at: hit.at, id: hit.id }, best: hit });
    else if (!chat.best || Number(hit.rank) > Number(chat.best.rank)) chat.best = hit;
  }
  for (const title of titled) {
    const position = { at: title.at, id: title.id };
    const chat = chats.get(title.id);
    if (!chat) chats.set(title.id, { position });
    else if (compare(position, chat.position) < 0) chat.position = position;
  }
  // A full window may have stopped short of older matches: everything newer than its oldest message is on this
  // page, nothing older is (chats found by title further back come with the next page instead).
  const last = hits.at(-1);
  const windowEnd = hits.length >= window && last ? { at: last.at, id: last.id } : undefined;
  let ordered = [...chats.entries()]
    .filter(([, chat]) => !windowEnd || compare(chat.position, windowEnd) <= 0)
    .sort(([, a], [, b]) => compare(a.position, b.position));
  let nextCursor = windowEnd;
  if (ordered.length > limit) {
    ordered = ordered.slice(0, limit);
    nextCursor = ordered.at(-1)?.[1].position;
  }
  if (ordered.length === 0) return { rows: [], nextCursor };

  const sessionIds = ordered.map(([id]) => id);
  const messageIds = ordered.flatMap(([, chat]) => (chat.best ? [chat.best.id] : []));
  const [sessionRows, messageRows] = await Promise.all([
    rowsOf<{ id: string; project_id: string; title: string; last_activity_at: string | Date }>(sql`
      select id, project_id, title, last_activity_at from ${chatSessions}
       where owner_id = ${ownerId}::uuid and id = any(${`{${sessionIds.join(",")}}`}::uuid[])`),
    messageIds.length === 0
      ? Promise.resolve([])
      : rowsOf<{ id: string; content: string; created_at: string | Date }>(sql`
      select id, left(content, ${CONTENT_MAX}) as content, created_at from ${messages}
       where owner_id = ${ownerId}::uuid and id = any(${`{${messageIds.join(",")}}`}::uuid[])`),
  ]);
  const sessionById = new Map(sessionRows.map((s) => [s.id, s]));
  const messageById = new Map(messageRows.map((m) => [m.id, m]));
  const rows = ordered.flatMap(([sessionId, chat]): SearchHitRow[] => {
    const session = sessionById.get(sessionId);
    // Deleted between the statements: left out.
    if (!session) return [];
    const message = chat.best ? messageById.get(chat.best.id) : undefined;
    return [
      {
        sessionId,
        projectId: session.project_id,
        title: session.title,
        messageId: message?.id ?? null,
        content: message?.content ?? null,
        createdAt: new Date(message?.created_at ?? session.last_activity_at),
        position: chat.position,
      },
    ];
  });
  return { rows, nextCursor };
}
