import type { NextConfig } from "next";
import { securityHeaders } from "./lib/api/security-headers";

// On Vercel the embedded database never runs (lib/config refuses VERCEL=1 without DATABASE_URL): there PGlite
// resolves to a stub, so no function's bundle or file trace carries its 15 MB of WASM and data.
const onVercel = process.env.VERCEL === "1";

const nextConfig: NextConfig = {
  // The Docker image runs .next/standalone/server.js: the server with only the node_modules it traced (81 MB).
  // PGlite's WASM and data files are traced from its `new URL(..., import.meta.url)` loads; the Docker resilience
  // test starts that server on the embedded database, so a PGlite that stops being traced fails CI.
  output: "standalone",
  // PGlite ships WASM and data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: onVercel ? [] : ["@electric-sql/pglite"],
  ...(onVercel && { turbopack: { resolveAlias: { "@electric-sql/pglite": "./lib/db/pglite-unavailable.ts" } } }),
  // Migrations are read from disk at start; serverless bundles must carry them.
  outputFileTracingIncludes: { "/**": ["./drizzle/**"] },
  typedRoutes: true,
  poweredByHeader: false,
  // The API contract: /api/v1/project and /api/v1/project/ are the same route, answered without a redirect
  // (clients of the original do not follow 308s on POST). Route handlers match both forms on their own.
  skipTrailingSlashRedirect: true,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
