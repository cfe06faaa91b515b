// Section 1: the latency Parley adds. Time to first token and the gaps between tokens, straight to the
// stand-in (the baseline) and through Parley's REST stream and the UI's chat route, at 1, 10, 20 and 50
// concurrent streams. Paths alternate round by round, so machine noise falls on all three alike.
import { percentile } from "../lib/chart.mjs";
import { createProject, createSession, directTurn, restTurn, uiTurn, watchedTurn } from "../lib/client.mjs";

/**
 * @import { StreamTiming } from "../lib/client.mjs"
 * @import { BenchContext } from "../lib/harness.mjs"
 */

/** @typedef {{ n: number, median: number, p95: number, p99: number }} Stats */
/**
 * A turn on any path; the direct one has no Server-Timing.
 * @typedef {StreamTiming & { serverTiming?: Record<string, number> }} Turn
 */
/** @typedef {{ ttft: Stats, gap: Stats, total: Stats }} PathStats */
/**
 * A path through Parley, beside the direct baseline of the same run.
 * @typedef {PathStats & {
 *   addedTtft: { median: number, p95: number, p99: number, ratioMedian: number },
 *   addedGap: { median: number, p95: number, ratioMedian: number },
 * }} ServerPathStats
 */
/** @typedef {{ streams: number, direct: PathStats, rest: ServerPathStats, ui: ServerPathStats, watched: ServerPathStats }} LevelRow */
/** @typedef {{ name: string, valueMs: number, limitMs: number, met: boolean }} Target */

/** Turns per stream at each concurrency (× the concurrency = samples per path). */
const LEVELS = [
  { streams: 1, rounds: 60 },
  { streams: 10, rounds: 10 },
  { streams: 20, rounds: 8 },
  { streams: 50, rounds: 5 },
];
/** A fresh session every few turns keeps the history (sent to the model) the same size throughout. */
const TURNS_PER_SESSION = 10;

/**
 * The paths timed, in the order each round runs them. `watched`: the REST stream with a second client reattached to
 * the reply (#15), timed from the sender's side: what live reattach costs per token while someone watches.
 */
const PATHS = /** @type {const} */ (["direct", "rest", "ui", "watched"]);

export const STANDIN = { ttftMs: 40, tokenDelayMs: 10, reply: Array.from({ length: 30 }, (_, i) => `word${i + 1}`).join(" ") };

/** @param {number[]} values @returns {Stats} */
const stats = (values) => ({
  n: values.length,
  median: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
});

/** @param {BenchContext} context */
export async function latency({ server, standin, user, scale }) {
  const projectId = await createProject(server.url, user, { name: "Latency", memoryEnabled: false });
  /** @type {LevelRow[]} */
  const results = [];
  const breakdowns = [];
  for (const level of LEVELS) {
    const rounds = Math.max(2, Math.round(level.rounds * scale));
    const workers = Array.from({ length: level.streams }, () => ({ session: "", turns: 0 }));
    /** @param {{ session: string, turns: number }} worker */
    const sessionOf = async (worker) => {
      if (!worker.session || worker.turns >= TURNS_PER_SESSION) {
        worker.session = await createSession(server.url, user, projectId);
        worker.turns = 0;
      }
      worker.turns++;
      return worker.session;
    };
    /** @type {Record<"direct" | "rest" | "ui" | "watched", (worker: { session: string, turns: number }) => Promise<Turn>>} */
    const paths = {
      direct: () => directTurn(standin.baseUrl, "Hello"),
      rest: async (worker) => restTurn(server.url, user, await sessionOf(worker), "Hello"),
      ui: async (worker) => uiTurn(server.url, user, await sessionOf(worker), "Hello"),
      watched: async (worker) => watchedTurn(server.url, user, await sessionOf(worker), "Hello"),
    };
    /** @type {Record<"direct" | "rest" | "ui" | "watched", Turn[]>} */
    const samples = { direct: [], rest: [], ui: [], watched: [] };
    // One warm-up round per path (JIT, connection pools, route modules), not counted.
    for (const run of Object.values(paths)) await Promise.all(workers.map((w) => run(w)));
    for (let round = 0; round < rounds; round++) {
      for (const name of PATHS) {
        const turns = await Promise.all(workers.map((w) => paths[name](w)));
        samples[name].push(...turns);
      }
    }
    /** @param {Turn[]} turns @returns {PathStats} */
    const pathStats = (turns) => ({
      ttft: stats(turns.map((t) => t.ttftMs)),
      gap: stats(turns.flatMap((t) => t.gapsMs)),
      total: stats(turns.map((t) => t.totalMs)),
    });
    const direct = pathStats(samples.direct);
    /** @param {Turn[]} turns @returns {ServerPathStats} */
    const withAdded = (turns) => {
      const own = pathStats(turns);
      return {
        ...own,
        addedTtft: {
          median: own.ttft.median - direct.ttft.median,
          p95: own.ttft.p95 - direct.ttft.p95,
          p99: own.ttft.p99 - direct.ttft.p99,
          ratioMedian: own.ttft.median / direct.ttft.median,
        },
        addedGap: {
          median: own.gap.median - direct.gap.median,
          p95: own.gap.p95 - direct.gap.p95,
          ratioMedian: own.gap.median / direct.gap.median,
        },
      };
    };
    /** @type {LevelRow} */
    const row = {
      streams: level.streams,
      direct,
      rest: withAdded(samples.rest),
      ui: withAdded(samples.ui),
      watched: withAdded(samples.watched),
    };
    results.push(row);
    breakdowns.push({ streams: level.streams, rest: medianTimings(samples.rest), ui: medianTimings(samples.ui) });
    console.info(
      `[bench] latency ${level.streams} streams: TTFT median direct ${row.direct.ttft.median.toFixed(1)} · REST ${row.rest.ttft.median.toFixed(1)} · UI ${row.ui.ttft.median.toFixed(1)} · REST watched ${row.watched.ttft.median.toFixed(1)} ms; token gap median/p95 direct ${row.direct.gap.median.toFixed(2)}/${row.direct.gap.p95.toFixed(2)} · REST ${row.rest.gap.median.toFixed(2)}/${row.rest.gap.p95.toFixed(2)} · REST watched ${row.watched.gap.median.toFixed(2)}/${row.watched.gap.p95.toFixed(2)} ms`,
    );
  }
  /** @param {number} streams */
  const at = (streams) => {
    const row = results.find((r) => r.streams === streams);
    if (!row) throw new Error(`[bench] no latency level with ${streams} streams`);
    return row;
  };
  const targets = [
    target("Added TTFT, median, 1 stream, REST", at(1).rest.addedTtft.median, 15),
    target("Added TTFT, median, 1 stream, UI route", at(1).ui.addedTtft.median, 15),
    target("Added TTFT, p95, 20 streams, REST", at(20).rest.addedTtft.p95, 50),
    target("Added TTFT, p95, 20 streams, UI route", at(20).ui.addedTtft.p95, 50),
  ];
  return { standin: STANDIN, levels: results, serverTiming: breakdowns, targets };
}

/**
 * @param {string} name
 * @param {number} valueMs
 * @param {number} limitMs
 * @returns {Target}
 */
export function target(name, valueMs, limitMs) {
  return { name, valueMs, limitMs, met: valueMs <= limitMs };
}

/**
 * The median of each Server-Timing phase over a set of turns (what the server spent where, before the model).
 * @param {Turn[]} turns
 * @returns {Record<string, number>}
 */
function medianTimings(turns) {
  /** @type {Record<string, number[]>} */
  const byPhase = {};
  for (const turn of turns) {
    for (const [phase, ms] of Object.entries(turn.serverTiming ?? {})) (byPhase[phase] ??= []).push(ms);
    // The REST response starts at the first token, so what the client waited beyond the handler's own total is
    // time outside it (proxy, routing, sockets, the client's event loop).
    if (turn.serverTiming?.upstream !== undefined) (byPhase.outside ??= []).push(turn.ttftMs - turn.serverTiming.total);
  }
  return Object.fromEntries(Object.entries(byPhase).map(([phase, values]) => [phase, percentile(values, 50)]));
}
