import "server-only";
import { after } from "next/server";

/**
 * Keeps work alive past the response (`after()` also holds a serverless function open until it settles).
 * Outside a request scope (route handlers called directly in tests, scripts) `after` throws; the promise is
 * already running, so it is simply left to finish.
 */
export function runAfter(task: Promise<unknown>): void {
  const guarded = task.catch((error) => console.error("[parley] background task failed:", error));
  try {
    after(guarded);
  } catch {
    void guarded;
  }
}
