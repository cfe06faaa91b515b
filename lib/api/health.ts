import "server-only";
import packageJson from "@/package.json";
import { getDb } from "@/lib/db/client";
import { pingDatabase } from "@/lib/db/open";

export async function getHealth(): Promise<{ status: 200 | 503; body: Record<string, string> }> {
  const ok = await getDb()
    .then((db) => pingDatabase(db))
    .catch(() => false);
  return ok
    ? { status: 200, body: { status: "healthy", version: packageJson.version, database: "ok" } }
    : { status: 503, body: { status: "unhealthy", version: packageJson.version, database: "unavailable" } };
}
