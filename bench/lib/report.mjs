// Turns the day's results into bench/results/<date>.md (tables first, charts where a picture reads better).
import fs from "node:fs";
import path from "node:path";
import { barChartSvg, lineChartSvg, markdownTable } from "./chart.mjs";

/**
 * @import { browser } from "../sections/browser.mjs"
 * @import { data } from "../sections/data.mjs"
 * @import { latency, PathStats, ServerPathStats, Target } from "../sections/latency.mjs"
 * @import { rss } from "../sections/rss.mjs"
 */

/**
 * What run.mjs adds to each section's own results.
 * @typedef {{ ranAt: string, loadAtStart: number, loadAtEnd: number, seconds: number, scale: number, machine: { node: string, cpus: number } }} RunInfo
 */
/** @typedef {Awaited<ReturnType<typeof latency>> & RunInfo} LatencySection */
/** @typedef {Awaited<ReturnType<typeof data>> & RunInfo} DataSection */
/** @typedef {Awaited<ReturnType<typeof rss>> & RunInfo} RssSection */
/** @typedef {Awaited<ReturnType<typeof browser>> & RunInfo} BrowserSection */
/**
 * A day's bench/results/<date>.json.
 * @typedef {{ date: string, updatedAt: string, sections: { latency?: LatencySection, data?: DataSection, rss?: RssSection, browser?: BrowserSection } }} BenchResults
 */

/** @param {number} value */
const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : "–");
/** @param {number} bytes */
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
/** @param {number} bytes */
const kb = (bytes) => (bytes / 1024).toFixed(1);

/** @param {Target[]} targets */
function targetsTable(targets) {
  return markdownTable(
    targets.map((t) => ({
      target: t.name,
      measured: `${ms(t.valueMs)} ms`,
      limit: `≤ ${ms(t.limitMs)} ms`,
      result: t.met ? "met" : "**MISSED**",
    })),
  );
}

/** @param {RunInfo} section */
function ranLine(section) {
  const m = section.machine;
  return `_Ran ${section.ranAt} (scale ${section.scale}, ${section.seconds} s) on ${m.cpus} cores, Node ${m.node}; 1-minute load average ${section.loadAtStart} at the start, ${section.loadAtEnd} at the end (2 = both cores busy)._`;
}

/**
 * @param {string} dir
 * @param {string} date
 * @param {LatencySection} section
 */
function latencySection(dir, date, section) {
  const s = section.standin;
  const rows = [];
  for (const level of section.levels) {
    for (const path of /** @type {const} */ (["direct", "rest", "ui"])) {
      /** @type {PathStats & Partial<ServerPathStats>} The baseline has nothing added. */
      const r = level[path];
      rows.push({
        streams: level.streams,
        path: { direct: "stand-in direct (baseline)", rest: "REST stream", ui: "UI route /api/chat" }[path],
        n: r.ttft.n,
        "TTFT median": ms(r.ttft.median),
        "TTFT p95": ms(r.ttft.p95),
        "TTFT p99": ms(r.ttft.p99),
        "added TTFT median": r.addedTtft ? ms(r.addedTtft.median) : "",
        "added TTFT p95": r.addedTtft ? ms(r.addedTtft.p95) : "",
        "TTFT ratio (median)": r.addedTtft ? r.addedTtft.ratioMedian.toFixed(2) : "",
        "gap median": ms(r.gap.median),
        "gap p95": ms(r.gap.p95),
        "gap p99": ms(r.gap.p99),
        "gap ratio (median)": r.addedGap ? r.addedGap.ratioMedian.toFixed(2) : "",
      });
    }
  }
  const chart = `${date}-latency-ttft.svg`;
  fs.writeFileSync(
    path.join(dir, chart),
    lineChartSvg({
      title: `Time to first token, median and p95 (stand-in TTFT ${s.ttftMs} ms)`,
      xLabel: "concurrent streams",
      yLabel: "ms",
      series: [
        { name: "direct median", points: section.levels.map((l) => [l.streams, l.direct.ttft.median]) },
        { name: "REST median", points: section.levels.map((l) => [l.streams, l.rest.ttft.median]) },
        { name: "UI median", points: section.levels.map((l) => [l.streams, l.ui.ttft.median]) },
        { name: "REST p95", points: section.levels.map((l) => [l.streams, l.rest.ttft.p95]) },
        { name: "UI p95", points: section.levels.map((l) => [l.streams, l.ui.ttft.p95]) },
      ],
    }),
  );
  const phases = [...new Set(section.serverTiming.flatMap((b) => [...Object.keys(b.rest), ...Object.keys(b.ui)]))];
  const timing = phases.length
    ? `\n\nWhere the server's time goes before the first token (medians of the \`Server-Timing\` header, ms):\n\n${markdownTable(
        section.serverTiming.flatMap((b) => [
          { streams: b.streams, route: "REST", ...Object.fromEntries(phases.map((p) => [p, ms(b.rest[p])])) },
          { streams: b.streams, route: "UI", ...Object.fromEntries(phases.map((p) => [p, ms(b.ui[p])])) },
        ]),
      )}`
    : "";
  return `## 1. Added latency

Stand-in: first token after ${s.ttftMs} ms, then a token every ${s.tokenDelayMs} ms (${s.reply.split(" ").length} tokens). TTFT is measured by the client from sending the request to the first text token; the gap is the time between consecutive tokens as the client receives them. "Added" = Parley's percentile minus the direct percentile of the same run. When the server falls behind, tokens reach the client in bursts (several in one read): the gap median then drops to 0 and the burst shows in p95/p99.

${targetsTable(section.targets)}

${markdownTable(rows)}${timing}

![TTFT](${chart})

${ranLine(section)}
`;
}

/**
 * @param {string} dir
 * @param {string} date
 * @param {DataSection} section
 */
function dataSection(dir, date, section) {
  const rows = section.endpoints.map((e) => ({
    request: e.name,
    "small: median": ms(e.small.median),
    "small: p95": ms(e.small.p95),
    "1M messages: median": ms(e.large.median),
    "1M messages: p95": ms(e.large.p95),
    "ratio (median)": (e.large.median / e.small.median).toFixed(2),
  }));
  const plans = section.plans
    .map(
      (p) =>
        `<details><summary>${p.name}: ${p.usesIndex ? "index" : "**NO INDEX**"} (${ms(p.executionMs)} ms)</summary>\n\n\`\`\`\n${p.plan}\n\`\`\`\n</details>`,
    )
    .join("\n");
  const chart = `${date}-data.svg`;
  fs.writeFileSync(
    path.join(dir, chart),
    barChartSvg({
      title: "Median time per request: small database vs 1M messages",
      yLabel: "ms",
      groups: section.endpoints.map((e) => ({ label: e.short, values: [e.small.median, e.large.median] })),
      series: ["small (1 project, 10 chats, 1,000 messages)", "large (1,000 projects, 10,000 chats, 1M messages)"],
    }),
  );
  return `## 2. Scale of data

One user; small = ${section.small.projects} project(s), ${section.small.sessions} sessions, ${section.small.messages.toLocaleString("en")} messages; large = ${section.large.projects.toLocaleString("en")} projects, ${section.large.sessions.toLocaleString("en")} sessions, ${section.large.messages.toLocaleString("en")} messages (bulk-seeded with \`generate_series\` in ${section.seedSeconds} s, then VACUUM ANALYZE). The same requests, ${section.samples} rounds (one of each per round, after 10 warm-up rounds), timed to the last byte.

${targetsTable(section.targets)}

${markdownTable(rows)}

![data](${chart})

Query plans on the large database (EXPLAIN ANALYZE of the statements these requests run):

${plans}

${section.search ? searchPart(section.search) : ""}
${ranLine(section)}
`;
}

/**
 * Search at 1M messages of the user, alone and with another user's million messages of the same words.
 * @param {NonNullable<DataSection["search"]>} search
 */
function searchPart(search) {
  const rows = search.queries.map((r) => ({
    q: `\`${r.q}\``,
    what: r.short,
    "alone: median": ms(r.alone.median),
    "alone: p95": ms(r.alone.p95),
    "+ other user's 1M: median": ms(r.withOther.median),
    "+ other user's 1M: p95": ms(r.withOther.p95),
  }));
  /** @param {Array<{ name: string, usesIndex: boolean, executionMs: number, plan: string }>} list */
  const plans = (list) =>
    list
      .map(
        (p) =>
          `<details><summary>${p.name}: ${p.usesIndex ? "index" : "**NO INDEX**"} (${ms(p.executionMs)} ms)</summary>\n\n\`\`\`\n${p.plan}\n\`\`\`\n</details>`,
      )
      .join("\n");
  return `### Search

\`GET /api/v1/search?q=\` (page of 20 chats) over the user's 1M messages, then again after another user got a million
messages with the same words (seeded in ${search.otherSeedSeconds} s; ${search.totalMessages.toLocaleString("en")} messages in the table). Every message holds
\`lorem\`; \`topicN\` is in 1% of them, \`tagN\` in 0.01%. A trailing space means a finished word (no prefix match).

${markdownTable(rows)}

Query plans with the other user's million messages (the statements of lib/db/queries/search.ts):

${plans(search.plansWithOther)}

<details><summary>The same plans before the other user's messages</summary>

${plans(search.plans)}
</details>
`;
}

/**
 * @param {string} dir
 * @param {string} date
 * @param {RssSection} section
 */
function rssSection(dir, date, section) {
  const chart = `${date}-rss.svg`;
  fs.writeFileSync(
    path.join(dir, chart),
    lineChartSvg({
      title: `Server RSS over ${section.chats} sequential chats`,
      xLabel: "chats",
      yLabel: "MB",
      series: [{ name: "RSS (next start and children)", points: section.samples.map((s) => [s.chats, s.rss / 1024 / 1024]) }],
    }),
  );
  return `## 3. Memory growth

${section.chats} sequential chats (alternating the REST stream and the UI route, ${section.sessions} sessions, memory on so summaries run in the background too) against a fresh \`next start\`; RSS of the server process tree sampled every ${section.every} chats.

| | |
|---|---|
| RSS after warm-up (${section.warmup} chats) | ${mb(section.startRss)} MB |
| RSS at the end | ${mb(section.endRss)} MB |
| peak | ${mb(section.peakRss)} MB |
| slope over the second half | ${kb(section.slopeBytesPerChat)} KB per chat |
| verdict | ${section.verdict} |

![rss](${chart})

${ranLine(section)}
`;
}

/**
 * @param {string} dir
 * @param {string} date
 * @param {BrowserSection} section
 */
function browserSection(dir, date, section) {
  const js = section.pages.map((p) => ({
    page: p.name,
    scripts: p.scripts,
    "JS transferred (compressed)": `${kb(p.transferBytes)} KB`,
    "JS uncompressed": `${kb(p.decodedBytes)} KB`,
  }));
  const render = section.render.map((r) => ({
    chat: r.name,
    "messages stored": r.messages,
    "messages rendered": r.rendered,
    "newest message visible, median": `${ms(r.visible.median)} ms`,
    p95: `${ms(r.visible.p95)} ms`,
    "DOMContentLoaded median": `${ms(r.domContentLoaded.median)} ms`,
  }));
  return `## 4. The browser

Chromium (${section.browserVersion}), headless, signed in with the session cookie; caches off.

JavaScript shipped:

${markdownTable(js)}

Time to render a chat (navigation start → the newest message visible), ${section.samples} loads each:

${markdownTable(render)}

${section.note}

${ranLine(section)}
`;
}

/**
 * @param {string} dir
 * @param {string} date
 * @param {BenchResults} results
 */
export function writeReport(dir, date, results) {
  const s = results.sections;
  const parts = [
    `# Benchmarks (${date})\n\nProduced by \`npm run bench\`: production build (\`next start\`), Postgres 15 on 127.0.0.1, the OpenRouter stand-in as the model. Each section notes the machine's load average while it ran (2 = both cores busy): figures taken on a busy machine are noisy.\n`,
    s.latency && latencySection(dir, date, s.latency),
    s.data && dataSection(dir, date, s.data),
    s.rss && rssSection(dir, date, s.rss),
    s.browser && browserSection(dir, date, s.browser),
  ].filter(Boolean);
  const markdown = parts.join("\n");
  fs.writeFileSync(path.join(dir, `${date}.md`), markdown);
  return markdown;
}
