CREATE TABLE "parley"."user_openrouter_keys" (
	"owner_id" uuid PRIMARY KEY NOT NULL,
	"key_version" integer NOT NULL,
	"key_id" text NOT NULL,
	"iv" text NOT NULL,
	"tag" text NOT NULL,
	"ciphertext" text NOT NULL,
	"last4" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley"."user_openrouter_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "parley"."usage_events" ADD COLUMN "billed_to_user_key" boolean DEFAULT false NOT NULL;