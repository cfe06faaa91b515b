import "server-only";

/**
 * A small in-process cache for per-request auth checks (is this session live, was this account deleted), so
 * the hot path usually costs no round trip. Entries live at most `ttlMs`: that bounds how long a revocation
 * made by another instance goes unseen here. A revocation made by this process calls `forget` after its write,
 * which also stops a lookup that overlapped the write from caching what it read before it.
 *
 * The state lives on globalThis: Next bundles each route separately, and a logout handled by one route must
 * clear what another route cached.
 */
export interface ShortCache<T> {
  load(key: string, loader: () => Promise<T>): Promise<T>;
  /** Drops `keys`, and every entry whose value `matches`. */
  forget(keys: Iterable<string>, matches?: (value: T) => boolean): void;
}

interface State<T> {
  entries: Map<string, { value: T; until: number }>;
  /** Bumped by every forget: a load that started before one does not store its answer. */
  epoch: number;
}

const holder = globalThis as typeof globalThis & { __parleyShortCaches?: Map<string, State<unknown>> };

export function shortCache<T>(name: string, ttlMs: number, maxEntries = 10_000): ShortCache<T> {
  const state = (): State<T> => {
    const caches = (holder.__parleyShortCaches ??= new Map());
    let found = caches.get(name) as State<T> | undefined;
    if (!found) caches.set(name, (found = { entries: new Map(), epoch: 0 }));
    return found;
  };
  return {
    async load(key, loader) {
      const current = state();
      const cached = current.entries.get(key);
      if (cached && cached.until > Date.now()) return cached.value;
      const epoch = current.epoch;
      const value = await loader();
      if (current.epoch === epoch) {
        current.entries.delete(key);
        // Map keeps insertion order: past the bound, the oldest entry goes.
        if (current.entries.size >= maxEntries) current.entries.delete(current.entries.keys().next().value as string);
        current.entries.set(key, { value, until: Date.now() + ttlMs });
      }
      return value;
    },
    forget(keys, matches) {
      const current = state();
      current.epoch++;
      for (const key of keys) current.entries.delete(key);
      if (matches) for (const [key, entry] of current.entries) if (matches(entry.value)) current.entries.delete(key);
    },
  };
}
