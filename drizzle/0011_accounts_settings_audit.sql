CREATE TABLE "parley"."accounts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"full_name" text DEFAULT '' NOT NULL,
	"role" text DEFAULT 'user' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"monthly_cost_limit" numeric,
	"monthly_token_limit" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley"."accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "parley"."admin_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_email" text NOT NULL,
	"action" text NOT NULL,
	"target_id" uuid,
	"target_email" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley"."admin_audit" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "parley"."app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley"."app_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "accounts_email_idx" ON "parley"."accounts" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "accounts_created_idx" ON "parley"."accounts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "admin_audit_created_idx" ON "parley"."admin_audit" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
-- An existing installation upgrading: every built-in account gets its row, and the first one created becomes the
-- admin, as a new installation's first sign-up would.
INSERT INTO "parley"."accounts" ("user_id", "email", "full_name", "created_at") SELECT "id", "email", "full_name", "created_at" FROM "parley"."users";--> statement-breakpoint
UPDATE "parley"."accounts" SET "role" = 'admin' WHERE "user_id" = (SELECT "id" FROM "parley"."users" ORDER BY "created_at", "id" LIMIT 1);--> statement-breakpoint
INSERT INTO "parley"."app_settings" ("key", "value") SELECT 'first_admin', to_jsonb("user_id"::text) FROM "parley"."accounts" WHERE "role" = 'admin' LIMIT 1;
