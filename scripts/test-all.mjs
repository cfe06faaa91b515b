// `npm test`: type-check (app and tooling), lint, vitest (unit + integration on PGlite, and on PostgreSQL when
// TEST_DATABASE_URL is set), next build, the Vercel build check (scripts/vercel-build.mjs), Playwright in
// Chromium. Every step runs even when an earlier one failed (except the browser tests, which need the build), and
// the last line totals them all.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */

const bin = (/** @type {string} */ name) => path.join("node_modules", ".bin", name);
const tmp = ".test-tmp";
fs.mkdirSync(tmp, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
/** @type {string[]} */
const summary = [];

/**
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 */
function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

/**
 * A step that is one check (type-check, lint, build).
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 */
function check(label, command, args) {
  const { ok, seconds } = run(label, command, args);
  if (ok) passed++;
  else failed++;
  summary.push(`${ok ? "✓" : "✗"} ${label} (${seconds}s)`);
  return ok;
}

/**
 * A step whose runner reports test counts in a JSON file.
 * @template Report
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {string} reportFile
 * @param {(report: Report) => Counts} count reads the runner's report, whose shape the runner defines
 * @param {Record<string, string>} [env]
 */
function suite(label, command, args, reportFile, count, env) {
  fs.rmSync(reportFile, { force: true });
  const { ok, seconds } = run(label, command, args, env);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    counts = count(JSON.parse(fs.readFileSync(reportFile, "utf8")));
  } catch {
    counts.failed = 1; // No report: the runner itself failed to start.
  }
  if (!ok && counts.failed === 0) counts.failed = 1; // e.g. a crash outside any test
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  summary.push(
    `${ok ? "✓" : "✗"} ${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${seconds}s)`,
  );
}

check("type-check", bin("tsc"), ["--noEmit"]);
// The application code also checks every indexed access (noUncheckedIndexedAccess).
check("type-check (app, strict indexing)", bin("tsc"), ["--noEmit", "-p", "tsconfig.app.json"]);
// The scripts, the bench and the e2e server run as plain JavaScript (checkJs with JSDoc types).
check("type-check (tooling)", bin("tsc"), ["--noEmit", "-p", "tsconfig.tools.json"]);
check("lint", bin("eslint"), ["--max-warnings", "0", "."]);
check("format", bin("prettier"), ["--check", "."]);

const vitestReport = path.join(tmp, "vitest.json");
/** @typedef {{ numPassedTests: number, numFailedTests: number, numFailedTestSuites: number, numPendingTests: number, numTodoTests: number }} VitestReport */
/** @typedef {{ stats: { expected: number, flaky: number, unexpected: number, skipped: number } }} PlaywrightReport */

suite(
  "vitest",
  bin("vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile=${vitestReport}`],
  vitestReport,
  (/** @type {VitestReport} */ r) => ({
    passed: r.numPassedTests,
    // A file that fails to load has no failed test but a failed suite: count it once.
    failed: r.numFailedTests || r.numFailedTestSuites || 0,
    skipped: r.numPendingTests + r.numTodoTests,
  }),
);

const built = check("next build", bin("next"), ["build"]);
// As Vercel builds it (VERCEL=1, production variables), in a copy: no PGlite in any function's bundle.
check("next build (Vercel)", process.execPath, ["scripts/vercel-build.mjs"]);
const playwrightReport = path.join(tmp, "playwright.json");
// With a PostgreSQL offered, the browser tests run the app on a throwaway database of it, which the specs can
// seed directly (e.g. a 2,000-message chat); the embedded database allows only one process.
/** @type {Record<string, string>} */
const e2eEnv = {};
if (process.env.TEST_DATABASE_URL && !process.env.E2E_DATABASE_URL) {
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = "/parley_e2e";
  e2eEnv.E2E_DATABASE_URL = url.toString();
}
if (built) {
  suite(
    "playwright (Chromium)",
    bin("playwright"),
    ["test"],
    playwrightReport,
    (/** @type {PlaywrightReport} */ r) => ({
      passed: r.stats.expected + r.stats.flaky,
      failed: r.stats.unexpected,
      skipped: r.stats.skipped,
    }),
    e2eEnv,
  );
} else {
  failed++;
  summary.push("✗ playwright: not run, the build failed");
}

console.log(`\n${summary.join("\n")}`);
if (!process.env.TEST_DATABASE_URL)
  console.log("(integration tests ran on PGlite only: set TEST_DATABASE_URL to run them on PostgreSQL too)");
if (!process.env.TEST_REDIS_URL)
  console.log("(shared rate-limit tests were skipped: set TEST_REDIS_URL, e.g. redis://127.0.0.1:6379, to run them)");
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
