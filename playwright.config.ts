import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);

/** The ports in use are port … port + 3 (the OpenRouter stand-in listens on port + 3). */
function server(serverPort: number, mode = "") {
  return {
    command: `node tests/e2e/server.mjs ${serverPort} ${mode}`.trim(),
    url: `http://127.0.0.1:${serverPort}/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  };
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: ".test-tmp/playwright.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: no browser downloads on these machines.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "chromium", testIgnore: /chat-(openrouter|keyboard|own-key|reattach)\.spec\.ts/ },
    // The auth journey again with Supabase Auth (@supabase/ssr cookie sessions against the loopback stand-in).
    { name: "supabase", testMatch: /auth\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${port + 1}` } },
    // The chat journey against the OpenRouter stand-in: a second server, configured with a provider key.
    // The keyboard journey too: its reply streams slowly enough for Escape to stop it. A user's own key, and reattach (held streams).
    {
      name: "openrouter",
      testMatch: /chat-(openrouter|keyboard|own-key|reattach)\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${port + 2}` },
    },
  ],
  // Each starts the production build (`next build` ran before) with a fresh database; the flag picks the mode.
  webServer: [server(port), server(port + 1, "--supabase"), server(port + 2, "--openrouter")],
});
