import "server-only";
import { after } from "next/server";
import { loggable } from "@/lib/db/errors";
import { trackWork } from "@/lib/server/shutdown";

/**
 * Keeps work alive past the response (`after()` also holds a serverless function open until it settles), and
 * tracks it, so a shutdown can count it, wait for it and bound the wait (lib/server/shutdown.ts), whatever
 * Next's own drain does. Failures are logged, never answered.
 *
 * A promise is already running; a function starts only once the response is sent (in a request scope), so
 * nothing it does can delay or shape the answer. Outside a request scope (route handlers called directly in
 * tests, scripts) `after` throws: a function then starts at once, unawaited.
 */
export function runAfter(task: Promise<unknown> | (() => Promise<unknown>), what = "background task"): void {
  const guard = (running: Promise<unknown>) => {
    const guarded = running.catch((error) => console.error(`[parley] ${what} failed:`, loggable(error)));
    trackWork(guarded);
    return guarded;
  };
  if (typeof task !== "function") {
    const guarded = guard(task);
    try {
      after(guarded);
    } catch {
      void guarded;
    }
    return;
  }
  try {
    after(() => guard(task()));
  } catch {
    void guard(Promise.resolve().then(task));
  }
}
