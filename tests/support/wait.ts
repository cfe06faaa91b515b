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

/** A promise the test opens when it chooses: the code under test waits on it while the test looks around. */
export interface Gate {
  promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
