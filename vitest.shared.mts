import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const integration = {
  include: ["tests/integration/**/*.test.ts"],
  setupFiles: ["tests/support/integration-setup.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/**
 * The test configuration: unit tests, the integration suite on PGlite, and the same suite again on a real
 * PostgreSQL when `postgresUrl` is given. The mutation run (vitest.mutation.config.mts) leaves PostgreSQL out:
 * each mutant re-runs its covering tests, and a second database would double that cost for no extra kill.
 */
export function parleyTestConfig({ postgresUrl }: { postgresUrl: string | undefined }) {
  return defineConfig({
    resolve: {
      alias: {
        "@": root,
        // "server-only" throws outside React Server Components; tests import server modules directly.
        "server-only": path.join(root, "tests/support/empty-module.ts"),
      },
    },
    test: {
      environment: "node",
      pool: "forks",
      maxWorkers: 2,
      projects: [
        { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
        {
          extends: true,
          test: { name: "integration:pglite", ...integration, globalSetup: ["tests/support/global-setup-pglite.ts"] },
        },
        ...(postgresUrl
          ? [
              {
                extends: true,
                test: {
                  name: "integration:postgres",
                  ...integration,
                  globalSetup: ["tests/support/global-setup-postgres.ts"],
                },
              },
            ]
          : []),
      ],
    },
  });
}
