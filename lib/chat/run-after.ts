import "server-only";
import { after } from "next/server";
import { trackWork } from "@/lib/server/shutdown";

/**
 * Keeps work alive past the response (`after()` also holds a serverless function open until it settles).
 * Outside a request scope (route handlers called directly in tests, scripts) `after` throws; the promise is
 * already running, so it is simply left to finish. Tracked too, so a shutdown can count it, wait for it and
 * bound the wait (lib/server/shutdown.ts), whatever Next's own drain does.
 */
export function runAfter(task: Promise<unknown>): void {
  const guarded = task.catch((error) => console.error("[parley] background task failed:", error));
  trackWork(guarded);
  try {
    after(guarded);
  } catch {
    void guarded;
  }
}
