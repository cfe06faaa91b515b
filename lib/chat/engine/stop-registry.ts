import "server-only";

/**
 * In-process handles of the generations this instance is running, by session id, so a Stop that reaches the
 * same instance aborts at once. A Stop that reaches another instance goes through the database instead (see
 * drain.ts): this map is only a shortcut, never the source of truth.
 */
interface Running {
  generationId: string;
  stop: () => void;
  /** Settles when the generation has stored its reply and released the chat. */
  finished: Promise<void>;
  markFinished: () => void;
}

// One map per process, on globalThis: Next bundles each route (and instrumentation) separately, and a Stop or
// the shutdown deadline must reach generations started by any of them.
const holder = globalThis as typeof globalThis & { __parleyRunningGenerations?: Map<string, Running> };
const running = (holder.__parleyRunningGenerations ??= new Map<string, Running>());

export function registerGeneration(sessionId: string, generationId: string, stop: () => void): void {
  let markFinished!: () => void;
  const finished = new Promise<void>((resolve) => (markFinished = resolve));
  running.set(sessionId, { generationId, stop, finished, markFinished });
}

/** Called once the reply is stored and the lease released. */
export function unregisterGeneration(sessionId: string, generationId: string): void {
  const entry = running.get(sessionId);
  if (entry?.generationId !== generationId) return;
  running.delete(sessionId);
  entry.markFinished();
}

/**
 * True when this instance was running it. Resolves after the stopped reply is stored and the chat is free, so
 * the client may send again (or regenerate) at once without meeting a 409.
 */
export async function stopLocalGeneration(sessionId: string): Promise<boolean> {
  const entry = running.get(sessionId);
  if (!entry) return false;
  entry.stop();
  await entry.finished;
  return true;
}

/** Shutdown deadline: stops every generation this process runs (each stores what arrived); returns how many. */
export function stopAllLocalGenerations(): number {
  for (const entry of running.values()) entry.stop();
  return running.size;
}
