// Starts `next start` for the end-to-end tests on a fresh embedded database. Run by Playwright's webServer.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.argv[2] ?? "3210";
const dataDir = path.join(process.cwd(), ".test-tmp", `e2e-${port}`);
fs.rmSync(dataDir, { recursive: true, force: true });

const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", port, "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PARLEY_DATA_DIR: dataDir,
    APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: "",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});

const stop = (signal) => child.kill(signal);
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
child.on("exit", (code) => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
