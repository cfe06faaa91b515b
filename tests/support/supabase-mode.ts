import { afterAll, beforeAll } from "vitest";
import { resetConfigForTests } from "@/lib/config/env";
import { startSupabaseStandin, type SupabaseStandin } from "./supabase-standin";

/**
 * Runs this test file in Supabase mode: starts the loopback Supabase Auth stand-in and configures the app for
 * it (the adapter is chosen by configuration alone), and undoes both afterwards. Returns a getter: the stand-in
 * exists only once beforeAll ran.
 */
export function withSupabaseStandin(): () => SupabaseStandin {
  let standin: SupabaseStandin | undefined;
  beforeAll(async () => {
    standin = await startSupabaseStandin();
    process.env.NEXT_PUBLIC_SUPABASE_URL = standin.url;
    process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY = standin.key;
    resetConfigForTests();
  });
  afterAll(async () => {
    delete process.env.NEXT_PUBLIC_SUPABASE_URL;
    delete process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY;
    resetConfigForTests();
    await standin?.close();
  });
  return () => {
    if (!standin) throw new Error("The Supabase stand-in starts in beforeAll");
    return standin;
  };
}
