import "server-only";
import { z } from "zod";
import type { Config } from "@/lib/config/env";
import { readStoredCatalog, storeCatalog } from "@/lib/db/queries/model-catalog";
import { runAfter } from "@/lib/server/run-after";

/**
 * OpenRouter's public model list (`GET {OPENROUTER_BASE_URL}/models`): names, context lengths and prices of the
 * models the allow-list may offer. Read in the background and never awaited by a request: until a list has been
 * read (from the database or OpenRouter), callers get `undefined` and offer the built-in fallback.
 *
 * Where it lives: the last good list is stored in parley.model_catalog, so every instance and a restart see it;
 * each process keeps a copy in memory for speed and looks again once its copy is older than MODEL_CATALOG_TTL_MS,
 * first in the database (another instance may have refreshed it) and only then at OpenRouter. A failed read
 * keeps the last good list and is retried after RETRY_AFTER_FAILURE_MS.
 */

export interface CatalogEntry {
  id: string;
  name: string;
  contextLength: number;
  /** USD per token as OpenRouter writes them (decimal strings, exact); null when it gives none we can read. */
  pricing: { prompt: string; completion: string } | null;
  inputModalities: string[];
}

const FETCH_TIMEOUT_MS = 10_000;
/** After a failed read, the next try waits this long (or the TTL, if shorter): OpenRouter down is not hammered. */
export const RETRY_AFTER_FAILURE_MS = 60_000;
/** More than any real catalog holds (~400 models today): a runaway answer is cut, not stored whole. */
const MAX_ENTRIES = 5_000;

/** A price OpenRouter can give: a non-negative decimal. Variable-price routers say "-1": no price then. */
const price = z.string().regex(/^\d{1,12}(\.\d{1,20})?$/);

/** One entry of OpenRouter's answer. Unknown fields are ignored; an entry failing this is skipped on its own. */
const remoteEntry = z.looseObject({
  id: z.string().min(1).max(300),
  name: z.string().min(1).max(300).optional(),
  context_length: z.number().int().positive().max(100_000_000),
  pricing: z.looseObject({ prompt: z.unknown(), completion: z.unknown() }).optional().nullable(),
  architecture: z
    .looseObject({ input_modalities: z.array(z.string().max(50)).max(20).optional() })
    .optional()
    .nullable(),
});

const remoteList = z.looseObject({ data: z.array(z.unknown()).max(MAX_ENTRIES * 4) });

/** What the database row holds: written by us, but read back through zod all the same (an edge). */
const storedEntry = z.object({
  id: z.string().min(1).max(300),
  name: z.string().min(1).max(300),
  contextLength: z.number().int().positive(),
  pricing: z.object({ prompt: price, completion: price }).nullable(),
  inputModalities: z.array(z.string()),
});
const storedList = z.array(storedEntry).max(MAX_ENTRIES);

/** Valid entries of OpenRouter's answer, in its order; malformed ones are dropped and counted. */
export function parseCatalog(body: unknown): { entries: CatalogEntry[]; skipped: number } {
  const list = remoteList.safeParse(body);
  if (!list.success) return { entries: [], skipped: 0 };
  const entries: CatalogEntry[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const item of list.data.data) {
    const parsed = remoteEntry.safeParse(item);
    if (!parsed.success || seen.has(parsed.data.id) || entries.length >= MAX_ENTRIES) {
      skipped++;
      continue;
    }
    const m = parsed.data;
    seen.add(m.id);
    const prompt = price.safeParse(m.pricing?.prompt);
    const completion = price.safeParse(m.pricing?.completion);
    entries.push({
      id: m.id,
      name: m.name ?? m.id,
      contextLength: m.context_length,
      pricing: prompt.success && completion.success ? { prompt: prompt.data, completion: completion.data } : null,
      inputModalities: m.architecture?.input_modalities ?? ["text"],
    });
  }
  return { entries, skipped };
}

interface CatalogState {
  source: string;
  entries?: CatalogEntry[];
  /** When `entries` were read from OpenRouter (by this or another instance), ms since the epoch. */
  fetchedAt?: number;
  /** No new attempt before this (set after a failure). */
  retryAt: number;
  /** The first read of the stored row, shared by the requests that arrive while it runs. */
  loaded?: Promise<void>;
  refreshing?: Promise<void>;
}

let state: CatalogState | undefined;

function stateFor(source: string): CatalogState {
  if (state?.source !== source) state = { source, retryAt: 0 };
  return state;
}

/**
 * The catalog as this process knows it now, or undefined when no list has been read yet (or there is no key and
 * `withoutKey` is not set).
 * Starts a refresh in the background when the copy is stale; never waits for OpenRouter. The first call in a
 * process waits for one read of the stored row (a primary-key lookup), so a restart offers the stored list at once.
 */
export async function currentCatalog(
  config: Config,
  options: { withoutKey?: boolean } = {},
): Promise<CatalogEntry[] | undefined> {
  // Without the team's key, only users with their own key need the list (reading it needs no key).
  if (!config.openRouter.apiKey && !options.withoutKey) return undefined;
  const s = stateFor(config.openRouter.baseUrl);
  s.loaded ??= adoptStored(s);
  await s.loaded;
  if (isStale(s, config) && !s.refreshing && Date.now() >= s.retryAt) {
    s.refreshing = refreshCatalog(s, config).finally(() => {
      s.refreshing = undefined;
    });
    // Past the response: a serverless function stays up until it ends, and a shutdown waits for it.
    runAfter(s.refreshing, "refreshing the model catalog");
  }
  return s.entries;
}

function isStale(s: CatalogState, config: Config): boolean {
  return s.fetchedAt === undefined || Date.now() - s.fetchedAt >= config.openRouter.catalogTtlMs;
}

/** Takes the stored list when it is newer than ours. A database that cannot be read leaves the copy as it is. */
async function adoptStored(s: CatalogState): Promise<void> {
  try {
    const row = await readStoredCatalog(s.source);
    if (!row || (s.fetchedAt !== undefined && row.fetchedAt.getTime() <= s.fetchedAt)) return;
    const entries = storedList.safeParse(row.models);
    if (!entries.success || entries.data.length === 0) return;
    s.entries = entries.data;
    s.fetchedAt = row.fetchedAt.getTime();
  } catch (error) {
    console.warn("[parley] could not read the stored model catalog:", errorName(error));
  }
}

async function refreshCatalog(s: CatalogState, config: Config): Promise<void> {
  // Another instance may have refreshed it since we last looked: then there is nothing to ask OpenRouter.
  await adoptStored(s);
  if (!isStale(s, config)) return;
  const fetched = await fetchCatalog(config);
  if (!fetched) {
    s.retryAt = Date.now() + Math.min(RETRY_AFTER_FAILURE_MS, config.openRouter.catalogTtlMs);
    return;
  }
  const fetchedAt = new Date();
  s.entries = fetched;
  s.fetchedAt = fetchedAt.getTime();
  s.retryAt = 0;
  try {
    // Conditional: a newer list another instance stored meanwhile is kept (and read at our next look).
    await storeCatalog(s.source, fetched, fetchedAt);
  } catch (error) {
    console.warn("[parley] could not store the model catalog:", errorName(error));
  }
}

/** The valid entries of OpenRouter's list, or undefined when it could not be read (the reason is logged). */
async function fetchCatalog(config: Config): Promise<CatalogEntry[] | undefined> {
  const url = `${config.openRouter.baseUrl}/models`;
  try {
    const response = await fetch(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) {
      console.warn(`[parley] model catalog: ${url} answered ${response.status}; keeping the last good list`);
      return undefined;
    }
    const { entries, skipped } = parseCatalog(await response.json());
    if (skipped > 0) console.warn(`[parley] model catalog: skipped ${skipped} malformed entries`);
    if (entries.length === 0) {
      console.warn("[parley] model catalog: no usable entries; keeping the last good list");
      return undefined;
    }
    return entries;
  } catch (error) {
    console.warn(`[parley] model catalog: ${url} failed (${errorName(error)}); keeping the last good list`);
    return undefined;
  }
}

const errorName = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : "unknown error");

/** Starts the first read without waiting for it (server start): the first request then finds a list sooner. */
export function warmModelCatalog(config: Config): void {
  void currentCatalog(config).catch(() => undefined);
}

/** Tests: the refresh running now, if any, to await instead of sleeping. */
export function catalogRefreshForTests(): Promise<void> {
  return state?.refreshing ?? Promise.resolve();
}

/** Tests: forget the in-process copy, as a new instance would start. */
export function resetModelCatalogForTests(): void {
  state = undefined;
}

/** Whether an allow-list entry is a pattern (`*` matches any run of characters, `/` and `:` included). */
export const isModelPattern = (entry: string): boolean => entry.includes("*");

export function matchesModelPattern(pattern: string, id: string): boolean {
  return patternRegExp(pattern).test(id);
}

function patternRegExp(pattern: string): RegExp {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`);
}

/**
 * The catalog's models an allow-list permits, in the allow-list's order (the first is the default model), each
 * once; within a pattern, in the catalog's order. Runs on every listing (each send checks its model): one pass
 * per allow-list entry, each pattern compiled once.
 */
export function selectAllowed(allowList: string[], catalog: CatalogEntry[]): CatalogEntry[] {
  const chosen = new Map<string, CatalogEntry>();
  for (const entry of allowList) {
    if (!isModelPattern(entry)) {
      const model = catalog.find((m) => m.id === entry);
      if (model) chosen.set(model.id, model);
      continue;
    }
    const regExp = patternRegExp(entry);
    for (const model of catalog) if (regExp.test(model.id)) chosen.set(model.id, model);
  }
  return [...chosen.values()];
}
