ALTER TABLE "parley"."chat_sessions" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "title")) STORED NOT NULL;--> statement-breakpoint
-- Edited by hand: drizzle-kit adds owner_id NOT NULL in one step, which fails on a table with rows. Add it,
-- copy each message's owner from its session, then require it.
ALTER TABLE "parley"."messages" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
UPDATE "parley"."messages" SET "owner_id" = "parley"."chat_sessions"."owner_id" FROM "parley"."chat_sessions" WHERE "parley"."chat_sessions"."id" = "parley"."messages"."session_id";--> statement-breakpoint
ALTER TABLE "parley"."messages" ALTER COLUMN "owner_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "parley"."messages" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS ((to_tsvector('simple'::regconfig, "content") || ('#' || "owner_id"::text)::tsvector)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "chat_sessions_search_idx" ON "parley"."chat_sessions" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "parley"."messages" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "messages_owner_created_idx" ON "parley"."messages" USING btree ("owner_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);