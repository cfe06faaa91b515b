import { z } from "zod";
import { readJson } from "@/lib/api/http";
import { json, withAdmin } from "@/lib/api/route";
import { settingsView, updateSettings } from "@/lib/admin/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/admin/settings → the run-time settings in force (admins only). */
export const GET = withAdmin("settings", async () => json(await settingsView()));

/** PATCH /api/v1/admin/settings {signup_policy?, model_allow_list?, default_model?, user_keys_enabled?} (admins only). */
export const PATCH = withAdmin("settings", async ({ user, request }) =>
  json(await updateSettings(user, await readJson(request, z.unknown(), "settings"))),
);
