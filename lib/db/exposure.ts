import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./open.ts";
import * as schema from "./schema.ts";

/**
 * Supabase serves every table in public over its Data API to the roles anon and authenticated. Parley's tables
 * are closed to them by migration 0002 (row-level security, privileges revoked); this refuses to start when one
 * was opened again, since anyone with the project's public key could then read or change every user's rows.
 */
export const parleyTableNames: string[] = Object.values(schema)
  .filter((value) => is(value, PgTable))
  .map((table) => getTableName(table));

type ExposedRow = { schema: string; table: string; role: string; readable: boolean };

/** The one-line reason not to start, or null. One catalog query; a database without these roles answers none. */
export async function findExposedTable(db: Database): Promise<string | null> {
  const result = await db.execute<ExposedRow>(sql`
    select n.nspname as schema, c.relname as table, r.rolname as role,
           has_table_privilege(r.oid, c.oid, 'SELECT') as readable
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_roles r on r.rolname in ('anon', 'authenticated')
    where n.nspname = current_schema()
      and c.relname in (${sql.join(
        parleyTableNames.map((name) => sql`${name}`),
        sql`, `,
      )})
      and c.relkind in ('r', 'p')
      and not c.relrowsecurity
      and has_table_privilege(r.oid, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
    order by c.relname, r.rolname
    limit 1`);
  // postgres-js answers an array of rows, PGlite an object holding them.
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: ExposedRow[] }).rows;
  const row = (rows as ExposedRow[])[0];
  if (!row) return null;
  const name = `${row.schema}.${row.table}`;
  return `Parley's table ${name} is ${row.readable ? "readable" : "writable"} by the Supabase role ${row.role} without row-level security: run the migrations (npm run db:migrate) or \`alter table ${name} enable row level security\``;
}
