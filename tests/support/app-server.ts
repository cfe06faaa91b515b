/**
 * The production build (`next start`) for the resilience suite: real HTTP, real signals, several instances, on a
 * database and an OpenRouter stand-in of the test's choosing. Needs `next build` first
 * (tests/resilience/global-setup.ts sees to it). Starting and stopping is next-server.ts's.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { root, startNextServer, type NextServer } from "./next-server";

export type AppServer = NextServer;

/** One secret per test run, shared by every instance started by it (they must accept each other's tokens). */
const AUTH_SECRET = randomBytes(32).toString("base64url");

export interface AppServerOptions {
  port: number;
  databaseUrl: string;
  openrouterBaseUrl?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const { port } = options;
  const tmp = path.join(root, ".test-tmp");
  return startNextServer({
    port,
    logFile: path.join(tmp, `app-${port}.log`),
    readyTimeoutMs: options.readyTimeoutMs,
    env: {
      DATABASE_URL: options.databaseUrl,
      // Unused with DATABASE_URL and AUTH_SECRET set, but kept private to this server all the same.
      PARLEY_DATA_DIR: path.join(tmp, `app-${port}-data`),
      AUTH_SECRET,
      OPENROUTER_API_KEY: options.openrouterBaseUrl ? "sk-or-resilience" : "",
      OPENROUTER_BASE_URL: options.openrouterBaseUrl ?? "",
      REDIS_URL: "",
      // Tests reach the server as many clients at once, each with its own address (rest-client.ts sends one, as a
      // reverse proxy would): per-address limits then apply per client, not to the whole test run.
      TRUST_PROXY: "true",
      ...options.env,
    },
  });
}
