import { isDatabaseUnavailable } from "./errors";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `task` again while the database is unreachable, with growing pauses, for at most `forMs`. For writes
 * that must survive a database restart (a reply that finished streaming). Other errors are thrown at once;
 * the task must be safe to repeat (e.g. an insert with a fixed id, which cannot be stored twice).
 * The first retry is logged: a reply held open by it would otherwise look like a hang from outside.
 */
export async function withDatabaseRetry<T>(task: () => Promise<T>, forMs = 20_000): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let pause = 250; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await task();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + pause > deadline) throw error;
      if (pause === 250)
        console.warn(`[parley] the database is unreachable: retrying a write for up to ${Math.round(forMs / 1000)}s`);
      await sleep(pause);
    }
  }
}
