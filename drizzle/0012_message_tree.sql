CREATE TABLE "parley"."message_summaries" (
	"through_message_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"summary" text NOT NULL,
	"through_seq" integer NOT NULL,
	"covered_messages" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley"."message_summaries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "parley"."chat_sessions" ADD COLUMN "active_leaf_id" uuid;--> statement-breakpoint
ALTER TABLE "parley"."messages" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "parley"."message_summaries" ADD CONSTRAINT "message_summaries_through_message_id_messages_id_fk" FOREIGN KEY ("through_message_id") REFERENCES "parley"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley"."message_summaries" ADD CONSTRAINT "message_summaries_session_id_chat_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "parley"."chat_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_summaries_session_idx" ON "parley"."message_summaries" USING btree ("session_id");--> statement-breakpoint
ALTER TABLE "parley"."messages" ADD CONSTRAINT "messages_parent_id_messages_id_fk" FOREIGN KEY ("parent_id") REFERENCES "parley"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_session_parent_idx" ON "parley"."messages" USING btree ("session_id","parent_id","seq");--> statement-breakpoint
-- Hand-written backfill: every existing chat becomes a single-branch tree. Each message's parent is the one
-- before it in its chat's order; the active leaf is the chat's last message; the summary in use is kept as the
-- summary of the path's prefix ending at the last message it covers (the newest one at or before its seq:
-- regenerate used to delete replies, so that seq may be missing). What users see and the model gets is unchanged.
UPDATE "parley"."messages" AS m SET "parent_id" = ordered."previous_id"
  FROM (SELECT "id", lag("id") OVER (PARTITION BY "session_id" ORDER BY "seq") AS "previous_id" FROM "parley"."messages") AS ordered
 WHERE m."id" = ordered."id" AND ordered."previous_id" IS NOT NULL;--> statement-breakpoint
UPDATE "parley"."chat_sessions" AS s SET "active_leaf_id" = (
  SELECT m."id" FROM "parley"."messages" AS m WHERE m."session_id" = s."id" ORDER BY m."seq" DESC LIMIT 1
);--> statement-breakpoint
INSERT INTO "parley"."message_summaries" ("through_message_id", "owner_id", "session_id", "summary", "through_seq", "covered_messages", "created_at")
SELECT last_covered."id", s."owner_id", s."id", s."summary", last_covered."seq", s."summary_covered_messages", coalesce(s."summary_updated_at", now())
  FROM "parley"."chat_sessions" AS s
  CROSS JOIN LATERAL (
    SELECT m."id", m."seq" FROM "parley"."messages" AS m
     WHERE m."session_id" = s."id" AND m."seq" <= s."summary_through_seq" ORDER BY m."seq" DESC LIMIT 1
  ) AS last_covered
 WHERE s."summary" IS NOT NULL AND s."summary_through_seq" > 0;
