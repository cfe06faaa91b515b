-- Parley's tables now live in the schema parley (0003), which Supabase's Data API does not serve. Should an
-- operator add it to the exposed schemas, the roles behind the public key still get nothing: no use of the schema
-- and no privilege on anything in it, on top of the row-level security every table keeps from 0002. The same
-- for drizzle's bookkeeping schema (the migrations table). PUBLIC never held these privileges on a new schema;
-- revoking says so and undoes a grant made by hand.
-- No ALTER DEFAULT PRIVILEGES: nothing is granted by default in a new schema, and per-schema defaults can only
-- add to the global ones (functions' EXECUTE for PUBLIC), which the revoked schema usage makes unreachable anyway.
REVOKE ALL ON SCHEMA "parley" FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON ALL TABLES IN SCHEMA "parley" FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON ALL SEQUENCES IN SCHEMA "parley" FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA "parley" FROM PUBLIC;--> statement-breakpoint
-- The migrator creates the schema drizzle before running any migration; checked all the same.
DO $$
BEGIN
  IF to_regnamespace('drizzle') IS NOT NULL THEN
    REVOKE ALL ON SCHEMA drizzle FROM PUBLIC;
    REVOKE ALL ON ALL TABLES IN SCHEMA drizzle FROM PUBLIC;
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA drizzle FROM PUBLIC;
  END IF;
END $$;--> statement-breakpoint
-- The Supabase roles exist only on Supabase (and look-alikes): plain PostgreSQL and PGlite skip them.
DO $$
DECLARE
  r text;
  s text;
BEGIN
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      FOREACH s IN ARRAY ARRAY['parley', 'drizzle'] LOOP
        IF to_regnamespace(s) IS NOT NULL THEN
          EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', s, r);
          EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', s, r);
          EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', s, r);
          EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM %I', s, r);
        END IF;
      END LOOP;
    END IF;
  END LOOP;
END $$;
