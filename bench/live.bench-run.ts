/**
 * `npm run bench:live`: what live reattach (#15) costs, per channel (in-process; PostgreSQL LISTEN/NOTIFY with
 * TEST_DATABASE_URL; Redis pub/sub with TEST_REDIS_URL). A generation's feed gets TOKENS deltas GAP_MS apart, once
 * with nobody watching and once with a watcher subscribed (it asked, so the feed publishes 50 ms batches). Reported:
 * CPU time per token on this process (generator and, for the shared channels, the subscriber too: an upper bound),
 * and a batch's delay from its last token to the watcher. Figures, not assertions.
 */
import { it } from "vitest";
import { askTopic, framesTopic, setLiveChannel, type LiveChannel } from "@/lib/chat/live/channel";
import { openLiveFeed } from "@/lib/chat/live/feed";
import { createMemoryChannel } from "@/lib/chat/live/memory-channel";
import { createPostgresChannel } from "@/lib/chat/live/postgres-channel";
import { createRedisChannel } from "@/lib/chat/live/redis-channel";

const TOKENS = 400;
const GAP_MS = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;

async function run(channel: LiveChannel, watched: boolean) {
  setLiveChannel(channel);
  const sessionId = crypto.randomUUID();
  const lastTokenAt: number[] = [];
  const delays: number[] = [];
  let received = 0;
  let off = () => {};
  if (watched) {
    off = await channel.subscribe(framesTopic(sessionId), (message) => {
      const frame = JSON.parse(message) as { k: string; t?: string };
      if (frame.k !== "d") return;
      received += frame.t!.split(" ").length - 1;
      delays.push(performance.now() - lastTokenAt[received - 1]!);
    });
  }
  const feed = openLiveFeed({ sessionId, generationId: "g", assistantMessageId: "m", model: "bench" });
  await sleep(50); // the feed's own subscription (in the background in production too)
  if (watched) await channel.publish(askTopic(sessionId), JSON.stringify({ k: "a", id: "bench" }));
  await sleep(50);
  const cpu = process.cpuUsage();
  for (let i = 0; i < TOKENS; i++) {
    lastTokenAt[i] = performance.now();
    feed.text(`w${i} `);
    await sleep(GAP_MS);
  }
  feed.end();
  await sleep(300);
  const used = process.cpuUsage(cpu);
  off();
  // Sleeping costs the same in both runs; the difference between them is the feed's and the channel's.
  return { cpuUsPerToken: (used.user + used.system) / TOKENS, delays };
}

it("measures the live channels", async () => {
  const channels: [string, () => LiveChannel][] = [["in-process", createMemoryChannel]];
  if (process.env.TEST_DATABASE_URL)
    channels.push(["PostgreSQL LISTEN/NOTIFY", () => createPostgresChannel(process.env.TEST_DATABASE_URL!)]);
  if (process.env.TEST_REDIS_URL)
    channels.push(["Redis pub/sub", () => createRedisChannel(process.env.TEST_REDIS_URL!, `bench-${Date.now()}`)]);
  const rows: string[] = [];
  for (const [name, make] of channels) {
    const channel = make();
    await run(channel, true); // warm-up: connections, JIT
    const alone = await run(channel, false);
    const watched = await run(channel, true);
    rows.push(
      `| ${name} | ${alone.cpuUsPerToken.toFixed(1)} | ${watched.cpuUsPerToken.toFixed(1)} | ${(watched.cpuUsPerToken - alone.cpuUsPerToken).toFixed(1)} | ${watched.delays.length} | ${pct(watched.delays, 50).toFixed(2)} | ${pct(watched.delays, 95).toFixed(2)} |`,
    );
    await channel.close();
  }
  setLiveChannel(undefined);
  console.info(
    [
      `live channel cost: ${TOKENS} tokens ${GAP_MS} ms apart; load average ${(await import("node:os")).loadavg()[0]!.toFixed(2)}`,
      "| channel | CPU µs/token, unwatched | CPU µs/token, watched | added by a watcher | batches | batch delay median ms | p95 ms |",
      "|---|---|---|---|---|---|---|",
      ...rows,
    ].join("\n"),
  );
});
