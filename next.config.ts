import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  typedRoutes: true,
  poweredByHeader: false,
  // The API contract: /api/v1/project and /api/v1/project/ are the same route, answered without a redirect
  // (clients of the original do not follow 308s on POST). Route handlers match both forms on their own.
  skipTrailingSlashRedirect: true,
};

export default nextConfig;
