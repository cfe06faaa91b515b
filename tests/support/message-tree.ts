import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";

/**
 * Messages inserted straight into the table (bulk fixtures) have no parents: this links a session's messages as
 * one path in seq order and makes the last one the active leaf, as the app and migration 0010 would have.
 */
export async function linkAsOnePath(db: Database, sessionId: string): Promise<void> {
  await db.execute(sql`update parley.messages as m set parent_id = ordered.previous_id
      from (select id, lag(id) over (order by seq) as previous_id from parley.messages where session_id = ${sessionId}::uuid) as ordered
     where m.id = ordered.id and ordered.previous_id is not null`);
  await db.execute(sql`update parley.chat_sessions set active_leaf_id =
      (select id from parley.messages where session_id = ${sessionId}::uuid order by seq desc limit 1)
     where id = ${sessionId}::uuid`);
}
