// `npm run db:migrate`: applies the committed migrations to the configured database (DATABASE_URL, or the
// embedded one in PARLEY_DATA_DIR). The server does the same at start; running it twice changes nothing.
import path from "node:path";
import { DatabaseStartupError, openDatabase } from "../lib/db/open.ts";

const url = process.env.DATABASE_URL?.trim();
const target = url
  ? ({ kind: "postgres", url } as const)
  : ({ kind: "pglite", dataDir: path.resolve(process.env.PARLEY_DATA_DIR?.trim() || "./.data") } as const);

try {
  const handle = await openDatabase(target);
  await handle.close();
  console.log(`Migrations applied (${target.kind === "postgres" ? "PostgreSQL" : `embedded database in ${target.dataDir}`}).`);
} catch (error) {
  console.error(error instanceof DatabaseStartupError ? error.message : String(error));
  process.exit(1);
}
