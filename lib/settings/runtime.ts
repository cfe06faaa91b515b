import "server-only";
import { z } from "zod";
import { getConfig, signupPolicies, type SignupPolicy } from "@/lib/config/env";
import { readAppSettings } from "@/lib/db/queries/app-settings";

/**
 * Settings an admin changes at run time, over the environment's defaults: the sign-up policy, the model
 * allow-list and default model, and whether users may bring their own key. Stored in `parley.app_settings`.
 *
 * Several instances: each process keeps one copy of the (tiny) table and re-reads it when the copy is older than
 * SETTINGS_TTL_MS. A request never waits for that re-read once a copy exists (it gets the copy, the re-read runs
 * beside it), so a change made on one instance is in force on every other within SETTINGS_TTL_MS plus one read;
 * the instance that made it drops its copy at once. The copy lives on globalThis: Next bundles each route apart.
 */
export const SETTINGS_TTL_MS = 2_000;

/** What the table may hold, key by key; a value that fails its schema (a hand edit) is ignored, not fatal. */
export const storedSettingsSchema = z.object({
  signup_policy: z.enum(signupPolicies).optional(),
  /** Exact ids and `*` patterns, as OPENROUTER_MODELS. */
  model_allow_list: z.array(z.string().min(1).max(200)).max(500).optional(),
  default_model: z.string().min(1).max(200).optional(),
  user_keys_enabled: z.boolean().optional(),
});
export type StoredSettings = z.infer<typeof storedSettingsSchema>;
export type SettingKey = keyof StoredSettings;

export interface RuntimeSettings {
  signupPolicy: SignupPolicy;
  /** Undefined: OPENROUTER_MODELS (or its default) applies. */
  modelAllowList?: string[];
  /** Undefined: the first usable model of the list. */
  defaultModel?: string;
  userKeysEnabled: boolean;
  /** Which of the above an admin set (the rest come from the environment). */
  overridden: SettingKey[];
}

interface Copy {
  stored: StoredSettings;
  readAt: number;
}
const holder = globalThis as typeof globalThis & {
  __parleySettings?: { copy?: Copy; reading?: Promise<Copy>; epoch: number };
};
const state = () => (holder.__parleySettings ??= { epoch: 0 });

function parseStored(raw: Record<string, unknown>): StoredSettings {
  const stored: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(storedSettingsSchema.shape)) {
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success && parsed.data !== undefined) stored[key] = parsed.data;
  }
  return stored as StoredSettings;
}

function reread(): Promise<Copy> {
  const current = state();
  if (current.reading) return current.reading;
  const epoch = current.epoch;
  const reading = readAppSettings()
    .then((raw) => {
      const copy = { stored: parseStored(raw), readAt: Date.now() };
      // A write made by this process while reading: what was read may predate it.
      if (current.epoch === epoch) current.copy = copy;
      return copy;
    })
    .finally(() => {
      if (current.reading === reading) current.reading = undefined;
    });
  current.reading = reading;
  return reading;
}

async function stored(): Promise<StoredSettings> {
  const { copy } = state();
  if (!copy) return (await reread()).stored;
  if (Date.now() - copy.readAt > SETTINGS_TTL_MS) reread().catch(() => {});
  return copy.stored;
}

/** The settings in force: an admin's values over the environment's. */
export async function getRuntimeSettings(): Promise<RuntimeSettings> {
  const values = await stored();
  const { admin, userKeysEnabled } = getConfig();
  return {
    signupPolicy: values.signup_policy ?? admin.signupPolicy,
    modelAllowList: values.model_allow_list,
    defaultModel: values.default_model,
    userKeysEnabled: values.user_keys_enabled ?? userKeysEnabled,
    overridden: Object.keys(values) as SettingKey[],
  };
}

/** After this process wrote the table: the next read goes to the database (other processes: within the TTL). */
export function forgetRuntimeSettings(): void {
  const current = state();
  current.epoch++;
  current.copy = undefined;
  current.reading = undefined;
}
