CREATE TABLE "parley"."model_catalog" (
	"source" text PRIMARY KEY NOT NULL,
	"models" jsonb NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley"."model_catalog" ENABLE ROW LEVEL SECURITY;