/**
 * Polls `check` until it returns something other than undefined (background work: after(), summaries, a server
 * coming up). Node built-ins only, so tests against a running server use it too.
 */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = "a condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
