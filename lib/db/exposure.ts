import { getTableColumns, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./open.ts";
import { rowsOf } from "./rows.ts";
import * as schema from "./schema.ts";

/**
 * Supabase serves the schemas it exposes (public, by default) over its Data API to the roles anon and
 * authenticated, the ones behind the project's public key. Parley's tables live in the schema parley, closed to
 * those roles by migrations 0002 and 0004 (row-level security, no privilege on the schema or its tables); this
 * refuses to start when one was opened again, since anyone with the public key could then read or change every
 * user's rows. It also looks in public for a copy of a Parley table left there (a dump of the old layout restored,
 * say) that those roles can reach.
 */
const parleyTables: PgTable[] = Object.values(schema).flatMap((value: unknown) => (is(value, PgTable) ? [value] : []));

export const parleySchemaName: string = schema.parley.schemaName;
export const parleyTableNames: string[] = parleyTables.map((table) => getTableName(table));

/**
 * The columns an insert must name (not null, no default): how a table in public is told to be a copy of Parley's
 * and not a project's own table of the same name. A column added later needs a default or must be nullable (the
 * table has rows), so it never joins this set and a copy from an older release still matches.
 */
const requiredColumns = (table: PgTable): string[] =>
  Object.values(getTableColumns(table))
    .filter((column) => column.notNull && !column.hasDefault)
    .map((column) => column.name);

type ExposedRow = { schema: string; table: string; role: string; readable: boolean; rls: boolean };

/** The one-line reason not to start, or null. One catalog query; a database without these roles answers none. */
export async function findExposedTable(db: Database): Promise<string | null> {
  const copies = sql.join(
    parleyTables.map((table) => sql`(${getTableName(table)}::text, ${requiredColumns(table).join(",")}::text)`),
    sql`, `,
  );
  // A role reaches a row when it may use the schema, holds a privilege on the table, and row-level security is
  // off or has a policy (Parley adds none: any policy was added by hand, and may let the role through).
  const result = await db.execute<ExposedRow>(sql`
    with copies(name, columns) as (values ${copies}),
    candidates as (
      select n.oid as namespace, n.nspname as schema, c.oid, c.relname as table, c.relrowsecurity as rls
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f')
        and (n.nspname = ${parleySchemaName}
          or (n.nspname = 'public' and exists (
            select 1 from copies
            where copies.name = c.relname
              and not exists (
                select unnest(string_to_array(copies.columns, ','))
                except
                select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped))))
    )
    select t.schema, t.table, r.rolname as role, has_table_privilege(r.oid, t.oid, 'SELECT') as readable, t.rls
    from candidates t
    join pg_roles r on r.rolname in ('anon', 'authenticated')
    where has_schema_privilege(r.oid, t.namespace, 'USAGE')
      and has_table_privilege(r.oid, t.oid, 'SELECT, INSERT, UPDATE, DELETE')
      and (not t.rls or exists (select 1 from pg_policy p where p.polrelid = t.oid))
    order by t.schema = 'public' desc, t.table, r.rolname
    limit 1`);
  const row = rowsOf<ExposedRow>(result)[0];
  if (!row) return null;
  const name = `${row.schema}.${row.table}`;
  const access = `${row.readable ? "readable" : "writable"} by the Supabase role ${row.role}`;
  const how = row.rls ? "through a row-level security policy" : "without row-level security";
  if (row.schema === "public") {
    return `A copy of Parley's table ${row.table} is left in the schema public, ${access} ${how}: move what it holds into ${parleySchemaName}.${row.table} and drop it, or run \`revoke all on table ${name} from anon, authenticated, public\``;
  }
  return `Parley's table ${name} is ${access} ${how}: run \`revoke all on schema ${parleySchemaName} from anon, authenticated, public\``;
}
