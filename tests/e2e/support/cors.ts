/**
 * The browser clients of cors.spec.ts: two blank pages, each served from its own loopback origin by a tiny HTTP
 * server that tests/e2e/server.mjs starts (on free ports) beside the app. The first is listed in the app's
 * CORS_ORIGINS, the second is not; both are the app's site (127.0.0.1), so `credentials: "include"` sends the
 * cookies and only CORS tells them apart. Real servers, not Playwright's page.route: Chromium puts a page with no
 * address in the public address space and then refuses its calls to loopback (Local Network Access) whatever
 * CORS says. server.mjs writes the origins to a file the spec reads. Erasable TypeScript: plain `node` loads it.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface CorsClients {
  /** In CORS_ORIGINS. */
  allowed: string;
  /** Not in CORS_ORIGINS. */
  other: string;
}

const clientsFile = (apiPort: string) => path.join(process.cwd(), ".test-tmp", `e2e-${apiPort}-cors-clients.json`);

async function blankPageServer(): Promise<{ origin: string; server: http.Server }> {
  const server = http.createServer((_, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end("<!doctype html><title>CORS client</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Starts both pages and records their origins for the spec of the app on `apiPort`. */
export async function startCorsClients(apiPort: string): Promise<CorsClients & { close(): Promise<void> }> {
  const [allowed, other] = await Promise.all([blankPageServer(), blankPageServer()]);
  const clients: CorsClients = { allowed: allowed.origin, other: other.origin };
  fs.mkdirSync(path.dirname(clientsFile(apiPort)), { recursive: true });
  fs.writeFileSync(clientsFile(apiPort), JSON.stringify(clients));
  return {
    ...clients,
    async close() {
      fs.rmSync(clientsFile(apiPort), { force: true });
      await Promise.all([allowed, other].map(({ server }) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

/** The origins the server of `apiBaseUrl` was started with. */
export function corsClientsOf(apiBaseUrl: string): CorsClients {
  return JSON.parse(fs.readFileSync(clientsFile(new URL(apiBaseUrl).port), "utf8")) as CorsClients;
}
