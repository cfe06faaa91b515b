// `npm run audit:ui` (#16): the chat screen's UI figures, measured on the production build, written to
// docs/audit-ui.md. Runs, through Playwright (whose webServer starts tests/e2e/server.mjs on a fresh database):
//   - tests/e2e/accessibility.spec.ts: axe-core on every page state, light and dark (its helper, not a copy);
//   - tests/e2e/audit-ui.spec.ts: the chat page's first-load JS (empty, 300 messages, a code block), the DOM
//     nodes of a 2,000-message chat scrolled to the top, and Lighthouse (median of 3, mobile preset) on login,
//     dashboard and a 300-message chat (the `lighthouse` package's CLI driving CHROMIUM_PATH, /usr/bin/chromium).
// Needs `npm run build` first and PostgreSQL for the seeded states (E2E_DATABASE_URL, by default
// postgres://postgres@127.0.0.1:5432/parley_e2e_<port>). Ports: E2E_PORT (default 3250) and the next three.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = process.cwd();
if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("audit:ui needs a production build: run `npm run build` first.");
  process.exit(2);
}
const port = process.env.E2E_PORT ?? "3250";
const env = {
  ...process.env,
  AUDIT_UI: "1",
  E2E_PORT: port,
  E2E_DATABASE_URL: process.env.E2E_DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/parley_e2e_${port}`,
};
const reportFile = path.join(root, ".test-tmp", "playwright.json");
const loadBefore = os.loadavg();
const started = new Date();
const run = spawnSync(
  "npx",
  ["playwright", "test", "tests/e2e/accessibility.spec.ts", "tests/e2e/audit-ui.spec.ts", "--project=chromium"],
  { env, stdio: "inherit" },
);
const loadAfter = os.loadavg();
const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));

/**
 * The parts of Playwright's JSON report read here (its reporter defines the shape).
 * @typedef {{ type: string, description?: string }} Annotation
 * @typedef {{ status?: string, annotations?: Annotation[] }} Result
 * @typedef {{ results: Result[], annotations?: Annotation[] }} ReportTest
 * @typedef {{ title: string, file?: string, tests: ReportTest[] }} Spec
 * @typedef {{ file?: string, specs?: Spec[], suites?: Suite[] }} Suite
 * @typedef {{ file: string | undefined, title: string, status: string, annotations: Annotation[] }} TestRow
 */

/**
 * Every test of the report, with its file, title, status and annotations.
 * @param {Suite} suite
 * @param {string | undefined} [file]
 * @returns {TestRow[]}
 */
function testsOf(suite, file = suite.file) {
  const own = (suite.specs ?? []).flatMap((spec) =>
    spec.tests.map((t) => ({
      file: spec.file ?? file,
      title: spec.title,
      status: t.results.at(-1)?.status ?? "skipped",
      // Runtime annotations are listed on the test and on its result: once each.
      annotations: [
        ...new Map(
          t.results
            .flatMap((r) => r.annotations ?? [])
            .concat(t.annotations ?? [])
            .map((a) => /** @type {[string, Annotation]} */ ([`${a.type}\n${a.description}`, a])),
        ).values(),
      ],
    })),
  );
  return own.concat((suite.suites ?? []).flatMap((child) => testsOf(child, child.file ?? file)));
}
const tests = /** @type {{ suites: Suite[] }} */ (report).suites.flatMap((suite) => testsOf(suite));
const figure = (/** @type {string} */ type) => {
  const found = tests.flatMap((t) => t.annotations).find((a) => a.type === `audit ${type}`);
  return found?.description ? JSON.parse(found.description) : undefined;
};

const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const load = (/** @type {number[]} */ avg) => avg.map((n) => n.toFixed(2)).join(" / ");
const a11y = tests.filter((t) => t.file?.endsWith("accessibility.spec.ts"));
const findings = a11y.flatMap((t) =>
  t.annotations.filter((a) => a.type.startsWith("axe ")).map((a) => `| ${a.type.slice(4)} | ${a.description} |`),
);
const firstLoad = figure("first-load-js");
const withCode = figure("first-load-js-code");
const long = figure("first-load-js-300");
const dom = figure("dom-nodes-2000");
/** @type {{ page: string, performance: { runs: number[], median: number }, accessibility: { runs: number[], median: number }, bestPractices: { runs: number[], median: number }, lcpMs: number, tbtMs: number, load: number[] }[] | undefined} */
const lighthouse = figure("lighthouse");
const runs = (/** @type {{ runs: number[], median: number }} */ c) => `**${c.median}** (${c.runs.join(", ")})`;
const lines = [
  "# UI audit (`npm run audit:ui`)",
  "",
  `Run ${started.toISOString()} on the production build (${os.cpus().length} cores, Node ${process.version}).`,
  `Load average (1 / 5 / 15 min): ${load(loadBefore)} at the start, ${load(loadAfter)} at the end.`,
  "Regenerate with `npm run build && npm run audit:ui`; the figures below are this file's run.",
  "",
  "## Accessibility (axe-core, WCAG 2.1 A/AA, light and dark)",
  "",
  `${a11y.filter((t) => t.status === "passed").length} of ${a11y.length} page-state tests passed ` +
    `(a test fails on any critical or serious violation): ${a11y.map((t) => `${t.title} — ${t.status}`).join("; ")}.`,
  "",
  findings.length
    ? [
        "Findings that do not fail the test (moderate, minor):",
        "",
        "| impact | state: rule × nodes |",
        "|---|---|",
        ...findings,
      ].join("\n")
    : "No findings of any impact.",
  "",
  "## Chat page JavaScript (compressed bytes on the wire)",
  "",
  firstLoad
    ? `First load of an empty chat: **${kb(firstLoad.total)}** in ${firstLoad.scripts.length} scripts (budget 350 KiB).`
    : "First load: not measured (the test did not run).",
  long
    ? `First load of a 300-message chat (its newest 50 messages, plain-text replies whose server-rendered HTML the page keeps: no Markdown renderer): **${kb(long.total)}** in ${long.scripts.length} scripts (budget 350 KiB).`
    : "",
  withCode
    ? `First load of a chat whose stored reply has a code block (highlighted by the server, its Copy done without the Markdown renderer: neither Streamdown nor the highlighter loads): **${kb(withCode.total)}** in ${withCode.scripts.length} scripts (budget 350 KiB).`
    : "",
  "",
  "## Long chats",
  "",
  dom
    ? `A 2,000-message chat scrolled to the top: **${dom.nodes.toLocaleString("en-US")} DOM nodes** on the whole page (${dom.messages} messages loaded, ${dom.rows} rows rendered: the list is windowed; target ≤ 3,000).`
    : "DOM nodes: not measured (needs E2E_DATABASE_URL).",
  "",
  "## Lighthouse (mobile preset: simulated slow 4G, 4× CPU slowdown; median of 3 runs, the runs in brackets)",
  "",
  lighthouse
    ? [
        "| page | performance | accessibility | best practices | LCP (median) | TBT (median) | load average (1 min) before → after |",
        "|---|---|---|---|---|---|---|",
        ...lighthouse.map(
          (row) =>
            `| ${row.page} | ${runs(row.performance)} | ${runs(row.accessibility)} | ${runs(row.bestPractices)} | ${(row.lcpMs / 1000).toFixed(1)} s | ${row.tbtMs} ms | ${row.load.map((n) => n.toFixed(2)).join(" → ")} |`,
        ),
        "",
        "Targets: accessibility 100, best practices ≥ 96, performance ≥ 90. The machine is shared: a high load average slows",
        "the page's scripts and so TBT, and Lighthouse multiplies what it observes by its CPU slowdown.",
      ].join("\n")
    : "Lighthouse: not measured (needs E2E_DATABASE_URL).",
  "",
];
const out = path.join(root, "docs", "audit-ui.md");
fs.writeFileSync(out, lines.filter((line, i, all) => line !== "" || all[i - 1] !== "").join("\n"));
console.log(`wrote ${path.relative(root, out)}`);
process.exit(run.status ?? 1);
