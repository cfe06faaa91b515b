// `npm run bench [-- section…] [--scale 0.2] [--env NAME=value…]` (or `-- --report` to redo the markdown): Parley's benchmarks against the production
// build. Starts `next start` (building first when there is no build) on a throw-away Postgres database
// (parley_bench_*, dropped at the end) with the OpenRouter stand-in as its model provider, runs the chosen
// sections (default: all), and writes bench/results/<date>.json, <date>.md and SVG charts. Running some
// sections again replaces only theirs in the day's results.
//
// Sections: latency (added TTFT/inter-token delay), data (1k projects / 10k sessions / 1M messages),
// rss (server memory over 2,000 chats), browser (JS shipped, 2,000-message chat render in Chromium).
// Not part of `npm test`: figures depend on the machine; nothing here asserts a time.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { signUp } from "./lib/client.mjs";
import { createDatabase, ensureBuild, root, startServer, startStandin, stopAll } from "./lib/harness.mjs";
import { writeReport } from "./lib/report.mjs";
import { browser } from "./sections/browser.mjs";
import { data } from "./sections/data.mjs";
import { latency, STANDIN } from "./sections/latency.mjs";
import { rss } from "./sections/rss.mjs";

/**
 * @import { BenchContext } from "./lib/harness.mjs"
 * @import { BenchResults } from "./lib/report.mjs"
 */

const SECTIONS = { latency, data, browser, rss };
/** @typedef {keyof typeof SECTIONS} SectionName */
/** Ports 3610–3613 are this benchmark's (`BENCH_PORT` moves them, for runs side by side on one machine). */
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3610);
const PORTS = { server: BASE_PORT, standin: BASE_PORT + 1, rssServer: BASE_PORT + 2, rssStandin: BASE_PORT + 3 };

/**
 * Server variables for every bench server: limits that would otherwise measure the limiter instead of the
 * path (the per-user message limit allows a person's pace, not 50 streams at once). `--env` adds more.
 */
const SERVER_ENV = { RATE_LIMIT_MESSAGES_PER_MINUTE: "100000" };

/**
 * @param {string} name
 * @returns {name is SectionName}
 */
const isSection = (name) => name in SECTIONS;

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {SectionName[]} */
  const sections = [];
  /** @type {Record<string, string>} */
  const env = { ...SERVER_ENV };
  let scale = Number(process.env.BENCH_SCALE ?? 1);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--scale") scale = Number(argv[++i]);
    else if (argv[i] === "--env") {
      const [name, ...value] = argv[++i].split("=");
      env[name] = value.join("=");
    } else {
      const name = argv[i];
      if (isSection(name)) sections.push(name);
      else
        throw new Error(
          `Unknown argument "${argv[i]}". Sections: ${Object.keys(SECTIONS).join(", ")}; options: --scale <0..1>, --env NAME=value`,
        );
    }
  }
  if (!(scale > 0 && scale <= 1)) throw new Error("--scale must be in (0, 1]");
  return { sections: sections.length ? sections : /** @type {SectionName[]} */ (Object.keys(SECTIONS)), env, scale };
}

/** `--report`: rewrites the day's markdown and charts from its JSON (after changing the report's layout). */
function reportOnly() {
  const date = new Date().toISOString().slice(0, 10);
  const dir = path.join(root, "bench", "results");
  writeReport(dir, date, /** @type {BenchResults} */ (JSON.parse(fs.readFileSync(path.join(dir, `${date}.json`), "utf8"))));
  console.info(`[bench] rewrote bench/results/${date}.md`);
}

async function main() {
  if (process.argv.includes("--report")) return reportOnly();
  const { sections, env, scale } = parseArgs(process.argv.slice(2));
  ensureBuild();
  const startedAt = new Date();
  /** @type {Record<string, object>} */
  const results = {};
  const needsMain = sections.some((s) => s !== "rss");
  /** @type {BenchContext | undefined} */
  let main;
  if (needsMain) {
    const db = await createDatabase("main");
    const standin = await startStandin({ port: PORTS.standin, ...STANDIN });
    const server = await startServer({ port: PORTS.server, databaseUrl: db.url, standinUrl: standin.baseUrl, env });
    const user = await signUp(server.url, "bench");
    main = { db, standin, server, user, scale, env };
  }
  // Order matters when several run: latency on an empty database, then data seeds 1M messages, which the
  // browser section reuses; rss gets a server of its own so its first sample is a fresh process.
  for (const name of /** @type {SectionName[]} */ (["latency", "data", "browser", "rss"]).filter((s) => sections.includes(s))) {
    console.info(`[bench] ${name}…`);
    const ranAt = new Date().toISOString();
    const loadAtStart = os.loadavg()[0];
    const started = performance.now();
    // `main` is set up above whenever a section other than rss runs.
    const result =
      name === "rss"
        ? await rss({ scale, env, ports: { server: PORTS.rssServer, standin: PORTS.rssStandin } })
        : await SECTIONS[name](/** @type {BenchContext} */ (main));
    const seconds = Math.round((performance.now() - started) / 1000);
    results[name] = Object.assign(result, {
      seconds,
      ranAt,
      loadAtStart: Number(loadAtStart.toFixed(2)),
      loadAtEnd: Number(os.loadavg()[0].toFixed(2)),
    });
  }

  const date = startedAt.toISOString().slice(0, 10);
  const dir = path.join(root, "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${date}.json`);
  /** @type {Pick<BenchResults, "sections">} */
  const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : { sections: {} };
  const machine = { node: process.version, cpus: os.cpus().length };
  const merged = {
    date,
    updatedAt: new Date().toISOString(),
    sections: {
      ...previous.sections,
      ...Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { ...v, scale, machine }])),
    },
  };
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  const markdown = writeReport(dir, date, merged);
  console.info(`\n${markdown}\n[bench] wrote ${path.relative(root, file)} and ${date}.md`);
}

let stopping = false;
/** @param {number} code */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await stopAll();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(130));
process.on("SIGTERM", () => void shutdown(143));
main().then(
  () => shutdown(0),
  (error) => {
    console.error(error);
    void shutdown(1);
  },
);
