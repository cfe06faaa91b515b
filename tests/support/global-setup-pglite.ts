import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../lib/db/open";

/**
 * A fresh PGlite costs seconds and hundreds of MB (initdb). Make one migrated template per run; each test file
 * copies its folder and opens the copy through the app's own code.
 */
export default async function setup(project: TestProject) {
  const base = path.join(process.cwd(), ".test-tmp", `pglite-${process.pid}`);
  fs.rmSync(base, { recursive: true, force: true });
  const template = path.join(base, "template");
  const handle = await openDatabase({ kind: "pglite", dataDir: template });
  await handle.close();
  project.provide("testDatabase", { kind: "pglite", template, base });
  return () => fs.rmSync(base, { recursive: true, force: true });
}
