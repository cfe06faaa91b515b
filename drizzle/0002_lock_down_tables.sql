-- Supabase serves every table in public over its Data API to the roles anon and authenticated, and its default
-- privileges grant them everything Parley creates there. Parley connects as the tables' owner, which row-level
-- security does not restrict (no FORCE), so enabling it with no policies closes the tables to every other role
-- without changing what Parley can do. The tables have uuid keys and no sequences to revoke.
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "deleted_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "projects" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "chat_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
-- Also take the privileges away, so a policy added by mistake later still opens nothing. The Supabase roles only
-- exist on Supabase (and look-alikes): plain PostgreSQL and PGlite skip them.
DO $$
DECLARE
  t text;
  r text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'auth_sessions', 'refresh_tokens', 'password_reset_tokens', 'deleted_accounts', 'projects', 'chat_sessions', 'messages'] LOOP
    EXECUTE format('REVOKE ALL ON TABLE %I FROM PUBLIC', t);
    FOREACH r IN ARRAY ARRAY['anon', 'authenticated'] LOOP
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('REVOKE ALL ON TABLE %I FROM %I', t, r);
      END IF;
    END LOOP;
  END LOOP;
END $$;
