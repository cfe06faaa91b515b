/**
 * One "server instance" for tests/integration/rate-limits-redis.test.ts, run as its own Node process: it builds
 * the app's limits from its environment exactly as the server does (getRateLimits → getConfig → REDIS_URL),
 * says "ready", waits for "go" on stdin (so several instances consume at the same moment), then tries to
 * send `count` messages as user `key` and prints one JSON line of outcomes.
 */
import { once } from "node:events";
import { ApiError } from "@/lib/api/errors";
import { getRateLimits } from "@/lib/rate-limit/policy";

const [key = "", countText = "0"] = process.argv.slice(2);
const limits = getRateLimits();
await limits.store.ready();
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");

const outcomes: string[] = [];
for (let i = 0; i < Number(countText); i++) {
  try {
    await limits.consumeChatMessage(key);
    outcomes.push("allowed");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 429) throw error;
    outcomes.push(`refused:${error.headers?.["Retry-After"]}`);
  }
}
process.stdout.write(`${JSON.stringify({ pid: process.pid, store: limits.store.kind, outcomes })}\n`);
await limits.store.close();
process.stdin.destroy();
