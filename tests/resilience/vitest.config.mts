import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * `npm run test:resilience`: the production build as real processes, against the OpenRouter stand-in and
 * PostgreSQL. One file at a time: each starts its own servers, and the machine may have two cores.
 */
export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    environment: "node",
    include: ["tests/resilience/**/*.test.ts"],
    globalSetup: ["tests/resilience/global-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    // Generous: a loaded machine is slow, never wrong. Nothing here asserts on time.
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});
