CREATE TABLE "parley"."usage_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"session_id" uuid,
	"project_id" uuid,
	"kind" text NOT NULL,
	"model" text NOT NULL,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost" numeric,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley"."usage_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "parley"."messages" ADD COLUMN "cost" numeric;--> statement-breakpoint
ALTER TABLE "parley"."usage_events" ADD CONSTRAINT "usage_events_session_id_chat_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "parley"."chat_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley"."usage_events" ADD CONSTRAINT "usage_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "parley"."projects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_events_owner_created_idx" ON "parley"."usage_events" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "usage_events_session_idx" ON "parley"."usage_events" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "usage_events_project_idx" ON "parley"."usage_events" USING btree ("project_id");