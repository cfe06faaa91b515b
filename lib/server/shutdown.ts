import "server-only";
import { ApiError } from "@/lib/api/errors";

/**
 * Graceful shutdown. `next start` already answers SIGTERM/SIGINT by closing its listener, waiting for the open
 * responses and for pending `after()` work, then exiting (Next 16, server/lib/start-server.js). What it lacks,
 * added here:
 * - new replies are refused (503) from the moment the signal arrives: a keep-alive connection can still deliver
 *   a request after the listener closed, and a reply begun now would only lengthen the drain;
 * - an upper bound: after SHUTDOWN_TIMEOUT_MS the replies still running are stopped (stored with what arrived,
 *   status incomplete), a short grace lets them be written, and the process exits — a stalled upstream or a
 *   slow summarizer cannot hold a deploy forever.
 * The state lives on globalThis: Next bundles instrumentation and every route separately, and they must share it.
 */

interface ShutdownState {
  draining: boolean;
  installed: boolean;
  /** Background work started by requests (a reply being generated, then its summary). */
  work: Set<Promise<unknown>>;
}

const holder = globalThis as typeof globalThis & { __parleyShutdown?: ShutdownState };
const state = (): ShutdownState => (holder.__parleyShutdown ??= { draining: false, installed: false, work: new Set() });

/** Time the stopped replies get to be stored once the deadline passed. */
const STOP_GRACE_MS = 5_000;

/** Registers work that must finish before the process exits. */
export function trackWork(task: Promise<unknown>): void {
  const { work } = state();
  work.add(task);
  const forget = () => work.delete(task);
  task.then(forget, forget);
}

/** Throws 503 once shutdown began: the client retries, and reaches another (or the restarted) instance. */
export function assertAcceptingWork(): void {
  if (state().draining) {
    throw new ApiError("unavailable", "server", "The server is restarting; send your message again in a moment.", {
      headers: { "Retry-After": "5" },
    });
  }
}

/** Resolves true once no tracked work is left, false when `timeoutMs` passed first. */
export async function drainWork(timeoutMs: number): Promise<boolean> {
  const { work } = state();
  const deadline = Date.now() + timeoutMs;
  while (work.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled([...work]), new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
    clearTimeout(timer);
  }
  return true;
}

export function installShutdownHandler(options: { timeoutMs: number; stopRunningReplies: () => number }): void {
  const current = state();
  // With NEXT_MANUAL_SIG_HANDLE the operator's own server owns the signals (and Next does not drain): stay out.
  if (current.installed || process.env.NEXT_MANUAL_SIG_HANDLE) return;
  current.installed = true;

  const onSignal = (signal: NodeJS.Signals) => {
    if (current.draining) return;
    current.draining = true;
    console.info(
      `[parley] ${signal}: new messages are refused; finishing ${current.work.size} running replies and summaries (at most ${options.timeoutMs / 1000}s)`,
    );
    void drainWork(options.timeoutMs).then(async (drained) => {
      if (drained) {
        console.info("[parley] running replies and summaries finished");
        // Next exits by itself once the last responses are sent; this only bounds that wait.
        setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
        return;
      }
      const stopped = options.stopRunningReplies();
      console.warn(`[parley] shutdown deadline passed: stopped ${stopped} running replies (what arrived is kept); exiting`);
      await drainWork(STOP_GRACE_MS);
      process.exit(1);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
