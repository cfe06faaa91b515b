// Starts `next start` for the end-to-end tests on a fresh database. Run by Playwright's webServer.
// By default the embedded database (a fresh data folder). With E2E_DATABASE_URL (a postgres:// URL whose
// database name is a throwaway one), that database is dropped and created anew, used, and dropped at exit, so
// tests can also seed it directly (PGlite allows only one process per folder, so it cannot be seeded from outside).
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import e2eAuth from "./support/e2e-auth.json" with { type: "json" };
import { startNextServer } from "../support/next-server.ts";
import { startCorsClients } from "./support/cors.ts";

/** @import { NextServer } from "../support/next-server.ts" */

const port = process.argv[2] ?? "3210";
const dataDir = path.join(process.cwd(), ".test-tmp", `e2e-${port}`);
fs.rmSync(dataDir, { recursive: true, force: true });
// The server's output is also written here, so specs can read what it logs (e.g. password reset links).
const logFile = path.join(process.cwd(), ".test-tmp", `e2e-${port}.log`);

// `--openrouter`: a second server whose OpenRouter models are served by the loopback stand-in (on port + 1), on
// its own embedded database, for the chat journey with a "real" provider.
const openrouterMode = process.argv.includes("--openrouter");
// `--supabase`: a third server signing users in through the loopback Supabase Auth stand-in (@supabase/ssr
// cookie sessions) instead of built-in accounts, for the auth journey; on a database of its own (E2E_DATABASE_URL's
// name + "_supabase", or an embedded one).
const supabaseMode = process.argv.includes("--supabase");
function ownDatabaseUrl() {
  const url = process.env.E2E_DATABASE_URL;
  if (!url || openrouterMode) return "";
  if (!supabaseMode) return url;
  const own = new URL(url);
  own.pathname = `${own.pathname}_supabase`;
  return own.toString();
}
const databaseUrl = ownDatabaseUrl();

/**
 * Runs `statement` on the same server's maintenance database (a database cannot drop itself).
 * @param {string} statement
 */
async function onServer(statement) {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 2 });
  }
}

function throwawayName() {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^[a-z0-9_]*e2e[a-z0-9_]*$/.test(name))
    throw new Error(`E2E_DATABASE_URL must name a throwaway database containing "e2e" (got "${name}")`);
  return name;
}

if (databaseUrl) {
  const name = throwawayName();
  await onServer(`drop database if exists "${name}" with (force)`);
  await onServer(`create database "${name}"`);
}

// The recovery "email" is written to the log as the link the README's email template makes, for the reset test.
const standin = supabaseMode
  ? await (
      await import("../support/supabase-standin.ts")
    ).startSupabaseStandin({
      onRecovery: (email, tokenHash) =>
        fs.appendFileSync(
          logFile,
          `[supabase-standin] password reset link for ${email}: http://127.0.0.1:${port}/reset-password?token_hash=${tokenHash}\n`,
        ),
    })
  : undefined;

const openrouter = openrouterMode
  ? await (
      await import("../support/openrouter-standin.ts")
    ).startOpenRouterStandin({
      port: Number(port) + 1,
      script: {
        ttftMs: 150,
        tokenDelayMs: 60,
        // What OpenRouter's usage accounting reports for each call (the reply's cost line, the Usage page).
        cost: 0.00123,
        chunkWords: 1,
        reply:
          "Here is a plan for the **sales** analysis:\n\n1. Load the data\n2. Describe it\n\n```python\nimport pandas as pd\ndf = pd.read_csv('sales.csv')\nprint(df.describe())\n```\n\nThen we look at the outliers month by month, compare them with the previous year, and write down what we find so that the next step is easy to plan.",
      },
    })
  : undefined;

// Pages on other origins that call this server's API from Chromium (cors.spec.ts).
const corsClients = await startCorsClients(port);

// Playwright stops the server with a signal, possibly while it is still starting: stop it once it is up.
/** @type {NextServer | undefined} */
let server;
let stopping = false;
const stop = () => {
  stopping = true;
  void server?.stop();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server = await startNextServer({
  port: Number(port),
  logFile,
  // Playwright shows what the server prints (webServer stdout/stderr: "pipe").
  onOutput: (chunk, stream) => process[stream].write(chunk),
  // Playwright's webServer timeout bounds the start; this one only has to be longer.
  readyTimeoutMs: 180_000,
  env: {
    PARLEY_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    // A fixed secret: production mode with DATABASE_URL requires one (tokens come from real sign-ups).
    AUTH_SECRET: e2eAuth.authSecret,
    NEXT_PUBLIC_SUPABASE_URL: standin?.url ?? "",
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: standin?.key ?? "",
    OPENROUTER_API_KEY: openrouter ? "sk-or-e2e" : "",
    OPENROUTER_BASE_URL: openrouter?.baseUrl ?? "",
    // The stand-in's catalog has free and paid models: the free ones (as by default) and one vendor's paid ones.
    OPENROUTER_MODELS: openrouter ? "*:free,anthropic/*" : "",
    // A browser client on another origin (cors.spec.ts).
    CORS_ORIGINS: corsClients.allowed,
    // The administrator of admin.spec.ts, whatever account another spec happened to create first.
    ADMIN_EMAILS: "e2e-admin@example.test",
  },
});

if (stopping) void server.stop();
const { code } = await server.exited;
await standin?.close();
await openrouter?.close();
await corsClients.close();
fs.rmSync(dataDir, { recursive: true, force: true });
if (databaseUrl) await onServer(`drop database if exists "${throwawayName()}" with (force)`).catch(() => {});
process.exit(code ?? 0);
