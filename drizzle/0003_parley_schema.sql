CREATE SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."auth_sessions" SET SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."chat_sessions" SET SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."deleted_accounts" SET SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."messages" SET SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."password_reset_tokens" SET SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."projects" SET SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."refresh_tokens" SET SCHEMA "parley";
--> statement-breakpoint
ALTER TABLE "public"."users" SET SCHEMA "parley";
