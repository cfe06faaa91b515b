import path from "node:path";
import { defineConfig } from "vitest/config";

// Benchmarks run through vitest so they use the app's real modules (aliases, "server-only") on a real database.
const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  resolve: {
    alias: { "@": root, "server-only": path.join(root, "tests/support/empty-module.ts") },
  },
  test: {
    include: [`bench/${process.env.BENCH ?? "*"}.bench-run.ts`],
    environment: "node",
    pool: "forks",
    maxWorkers: 1,
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
    globalSetup: ["tests/support/global-setup-pglite.ts"],
    setupFiles: ["tests/support/integration-setup.ts"],
  },
});
