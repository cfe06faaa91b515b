import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * The suite runs `next start`, which needs a production build. `npm test` builds right before this suite in
 * CI; run on its own, the build is made when `.next` has none (after code changes, run `npx next build`).
 */
export default function setup() {
  if (fs.existsSync(path.join(".next", "BUILD_ID"))) return;
  console.log("[resilience] no production build in .next: running next build");
  const result = spawnSync(path.join("node_modules", ".bin", "next"), ["build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed; the resilience suite needs the production build");
}
