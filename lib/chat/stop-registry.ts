import "server-only";

/**
 * In-process handles of the generations this instance is running, by session id, so a Stop that reaches the
 * same instance aborts at once. A Stop that reaches another instance goes through the database instead (see
 * send-message.ts): this map is only a shortcut, never the source of truth.
 */
const running = new Map<string, { generationId: string; stop: () => void }>();

export function registerGeneration(sessionId: string, generationId: string, stop: () => void): void {
  running.set(sessionId, { generationId, stop });
}

export function unregisterGeneration(sessionId: string, generationId: string): void {
  if (running.get(sessionId)?.generationId === generationId) running.delete(sessionId);
}

/** True when this instance was running it (and has now stopped it). */
export function stopLocalGeneration(sessionId: string): boolean {
  const entry = running.get(sessionId);
  if (!entry) return false;
  entry.stop();
  return true;
}
