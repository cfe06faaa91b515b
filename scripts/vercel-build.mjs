// `npm test`'s Vercel step: builds the app as Vercel does — a fresh copy of the repository's files, VERCEL=1 and
// the production environment (DATABASE_URL set, AUTH_SECRET) — then checks the output: the build wrote no data
// folder, and no function's file trace (`*.nft.json`, what Vercel packs into each serverless bundle) carries
// the embedded database (PGlite), while the Postgres driver is there. The copy is a temporary folder,
// removed after (KEEP_VERCEL_BUILD=1 keeps it, to look into), so the `.next` the browser tests use is never touched.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = process.cwd();
// Outside the repository: inside it, Next would take the repository (whose lock file is above) for the workspace
// root and resolve packages from both node_modules folders.
const copy = path.join(os.tmpdir(), `parley-vercel-build-${process.pid}`);
const started = Date.now();

/** @param {string} message */
function fail(message) {
  console.error(`[vercel-build] ${message}`);
  process.exitCode = 1;
}

/**
 * Every file under `dir` (no symbolic links followed).
 * @param {string} dir
 * @returns {string[]}
 */
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

fs.rmSync(copy, { recursive: true, force: true });
try {
  // What a clone would hold (tracked files, and new ones not ignored), as the working tree has them.
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root })
    .toString("utf8")
    .split("\0")
    .filter((file) => file && fs.existsSync(path.join(root, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(copy, file));
  }
  // node_modules as hard links (instant, no space): inside the copy, as after `npm ci`, so the trace paths and the
  // tracing excludes of next.config.ts resolve as on Vercel (a symbolic link would point outside the project).
  const modules = [path.join(root, "node_modules"), path.join(copy, "node_modules")];
  if (spawnSync("cp", ["-al", ...modules]).status !== 0) {
    // Another file system (or no GNU cp): a real copy, slower.
    fs.rmSync(modules[1], { recursive: true, force: true });
    fs.cpSync(modules[0], modules[1], { recursive: true, verbatimSymlinks: true });
  }

  const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  // The copy's own Next: the repository's would load a second React beside the copy's.
  const build = spawnSync(path.join(copy, "node_modules", ".bin", "next"), ["build"], {
    cwd: copy,
    stdio: "inherit",
    env: {
      ...process.env,
      VERCEL: "1",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      APP_URL: "https://parley.example.com",
      PARLEY_DATA_DIR: "",
    },
  });
  if (build.status !== 0) {
    fail("next build failed with VERCEL=1");
  } else {
    if (fs.existsSync(path.join(copy, ".data"))) fail("the build wrote ./.data: Vercel has no disk to keep it");
    const output = walk(path.join(copy, ".next"));
    const traces = output.filter((file) => file.endsWith(".nft.json"));
    /** @type {Map<string, string[]>} */
    const withPglite = new Map();
    let withPostgres = 0;
    for (const trace of traces) {
      const { files: traced } = /** @type {{ files: string[] }} */ (JSON.parse(fs.readFileSync(trace, "utf8")));
      const pglite = traced.filter((file) => file.includes("@electric-sql/pglite"));
      if (pglite.length) withPglite.set(path.relative(copy, trace), pglite);
      // The driver is bundled into a chunk (node_modules_postgres_src_…) or traced as a package (node_modules/postgres/).
      if (traced.some((file) => /node_modules[/_]postgres[/_]/.test(file))) withPostgres++;
    }
    // PGlite's own payload (WASM, data, extensions), should a file be copied into the output rather than traced.
    const copied = output.filter((file) => file.includes("@electric-sql/pglite") && /\.(wasm|data|tar\.gz)$/.test(file));
    if (withPostgres === 0) fail(`no trace names the postgres driver: are the ${traces.length} traces still *.nft.json?`);
    for (const [trace, files] of withPglite) fail(`${trace} carries PGlite (${files.length} files, e.g. ${files[0]})`);
    if (copied.length) fail(`PGlite files in the build output: ${copied.map((f) => path.relative(copy, f)).join(", ")}`);
    if (!process.exitCode) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `[vercel-build] ok in ${seconds}s: ${traces.length} function traces, none with PGlite; ${withPostgres} with the postgres driver`,
      );
    }
  }
} finally {
  if (!process.env.KEEP_VERCEL_BUILD) fs.rmSync(copy, { recursive: true, force: true });
}
