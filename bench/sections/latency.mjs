// Section 1: the latency Parley adds. Time to first token and the gaps between tokens, straight to the
// stand-in (the baseline) and through Parley's REST stream and the UI's chat route, at 1, 10, 20 and 50
// concurrent streams. Paths alternate round by round, so machine noise falls on all three alike.
import { percentile } from "../lib/chart.mjs";
import { createProject, createSession, directTurn, restTurn, uiTurn } from "../lib/client.mjs";

/** Turns per stream at each concurrency (× the concurrency = samples per path). */
const LEVELS = [
  { streams: 1, rounds: 60 },
  { streams: 10, rounds: 10 },
  { streams: 20, rounds: 8 },
  { streams: 50, rounds: 5 },
];
/** A fresh session every few turns keeps the history (sent to the model) the same size throughout. */
const TURNS_PER_SESSION = 10;

export const STANDIN = { ttftMs: 40, tokenDelayMs: 10, reply: Array.from({ length: 30 }, (_, i) => `word${i + 1}`).join(" ") };

const stats = (values) => ({ n: values.length, median: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) });

export async function latency({ server, standin, user, scale }) {
  const projectId = await createProject(server.url, user, { name: "Latency", memoryEnabled: false });
  const results = [];
  const breakdowns = [];
  for (const level of LEVELS) {
    const rounds = Math.max(2, Math.round(level.rounds * scale));
    const workers = Array.from({ length: level.streams }, () => ({ session: "", turns: 0 }));
    const sessionOf = async (worker) => {
      if (!worker.session || worker.turns >= TURNS_PER_SESSION) {
        worker.session = await createSession(server.url, user, projectId);
        worker.turns = 0;
      }
      worker.turns++;
      return worker.session;
    };
    const paths = {
      direct: () => directTurn(standin.baseUrl, "Hello"),
      rest: async (worker) => restTurn(server.url, user, await sessionOf(worker), "Hello"),
      ui: async (worker) => uiTurn(server.url, user, await sessionOf(worker), "Hello"),
    };
    const samples = { direct: [], rest: [], ui: [] };
    // One warm-up round per path (JIT, connection pools, route modules), not counted.
    for (const run of Object.values(paths)) await Promise.all(workers.map((w) => run(w)));
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(paths)) {
        const turns = await Promise.all(workers.map((w) => run(w)));
        samples[name].push(...turns);
      }
    }
    const row = { streams: level.streams };
    for (const [name, turns] of Object.entries(samples)) {
      row[name] = { ttft: stats(turns.map((t) => t.ttftMs)), gap: stats(turns.flatMap((t) => t.gapsMs)), total: stats(turns.map((t) => t.totalMs)) };
    }
    for (const name of ["rest", "ui"]) {
      row[name].addedTtft = {
        median: row[name].ttft.median - row.direct.ttft.median,
        p95: row[name].ttft.p95 - row.direct.ttft.p95,
        p99: row[name].ttft.p99 - row.direct.ttft.p99,
        ratioMedian: row[name].ttft.median / row.direct.ttft.median,
      };
      row[name].addedGap = { median: row[name].gap.median - row.direct.gap.median, p95: row[name].gap.p95 - row.direct.gap.p95, ratioMedian: row[name].gap.median / row.direct.gap.median };
    }
    results.push(row);
    breakdowns.push({ streams: level.streams, rest: medianTimings(samples.rest), ui: medianTimings(samples.ui) });
    console.info(
      `[bench] latency ${level.streams} streams: TTFT median direct ${row.direct.ttft.median.toFixed(1)} · REST ${row.rest.ttft.median.toFixed(1)} · UI ${row.ui.ttft.median.toFixed(1)} ms`,
    );
  }
  const at = (streams) => results.find((r) => r.streams === streams);
  const targets = [
    target("Added TTFT, median, 1 stream, REST", at(1).rest.addedTtft.median, 15),
    target("Added TTFT, median, 1 stream, UI route", at(1).ui.addedTtft.median, 15),
    target("Added TTFT, p95, 20 streams, REST", at(20).rest.addedTtft.p95, 50),
    target("Added TTFT, p95, 20 streams, UI route", at(20).ui.addedTtft.p95, 50),
  ];
  return { standin: STANDIN, levels: results, serverTiming: breakdowns, targets };
}

export function target(name, valueMs, limitMs) {
  return { name, valueMs, limitMs, met: valueMs <= limitMs };
}

/** The median of each Server-Timing phase over a set of turns (what the server spent where, before the model). */
function medianTimings(turns) {
  const byPhase = {};
  for (const turn of turns) {
    for (const [phase, ms] of Object.entries(turn.serverTiming ?? {})) (byPhase[phase] ??= []).push(ms);
    // The REST response starts at the first token, so what the client waited beyond the handler's own total is
    // time outside it (proxy, routing, sockets, the client's event loop).
    if (turn.serverTiming?.upstream !== undefined) (byPhase.outside ??= []).push(turn.ttftMs - turn.serverTiming.total);
  }
  return Object.fromEntries(Object.entries(byPhase).map(([phase, values]) => [phase, percentile(values, 50)]));
}
