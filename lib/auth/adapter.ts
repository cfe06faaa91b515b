import "server-only";
import { getConfig } from "@/lib/config/env";
import { builtinAdapter } from "./builtin/builtin";
import { supabaseAdapter } from "./supabase/supabase";
import type { AuthAdapter } from "./types";

/** Supabase Auth when the project is configured, the built-in accounts otherwise. Configuration only. */
export function getAuthAdapter(): AuthAdapter {
  return getConfig().supabase ? supabaseAdapter : builtinAdapter;
}
