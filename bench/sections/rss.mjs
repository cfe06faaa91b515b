// Section 3: memory growth. A fresh `next start` answers 2,000 sequential chats (REST stream and UI route in
// turn, memory on so background summaries run as well); the RSS of its process tree is sampled as it goes.
import { createProject, createSession, restTurn, signUp, uiTurn } from "../lib/client.mjs";
import { createDatabase, startServer, startStandin, treeRss } from "../lib/harness.mjs";

/** 2,000 as the issue asks; BENCH_RSS_CHATS runs longer to see whether growth levels off. */
const CHATS = Number(process.env.BENCH_RSS_CHATS ?? 2000);
const WARMUP = 100;
const SESSIONS = 10;
const EVERY = 50;
/** Above this growth per chat over the second half, the run is reported as a suspected leak (10 MB per 2,000 chats). */
const LEAK_BYTES_PER_CHAT = 5 * 1024;

/**
 * Least-squares slope of y over x.
 * @param {Array<[number, number]>} points
 */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den ? num / den : 0;
}

/** @param {{ scale: number, env: Record<string, string>, ports: { server: number, standin: number } }} options */
export async function rss({ scale, env, ports }) {
  const db = await createDatabase("rss");
  // A fast model: the server's own work per chat dominates, which is what could leak.
  const standin = await startStandin({
    port: ports.standin,
    ttftMs: 0,
    tokenDelayMs: 0,
    reply: Array.from({ length: 30 }, (_, i) => `word${i + 1}`).join(" "),
  });
  const server = await startServer({ port: ports.server, databaseUrl: db.url, standinUrl: standin.baseUrl, env });
  try {
    const user = await signUp(server.url, "rss");
    const projectId = await createProject(server.url, user, { name: "Memory growth", memoryEnabled: true });
    /** @type {string[]} */
    const sessions = [];
    for (let i = 0; i < SESSIONS; i++) sessions.push(await createSession(server.url, user, projectId));
    const chats = Math.max(200, Math.round(CHATS * scale));
    const warmup = Math.round(WARMUP * Math.max(scale, 0.5));
    const turn = (/** @type {number} */ i) =>
      (i % 2 ? uiTurn : restTurn)(
        server.url,
        user,
        sessions[i % SESSIONS],
        `Chat number ${i}: please remember the number ${i * 7}.`,
      );
    for (let i = 0; i < warmup; i++) await turn(i);
    const samples = [{ chats: 0, rss: treeRss(server.pid) }];
    for (let i = 1; i <= chats; i++) {
      await turn(warmup + i);
      if (i % EVERY === 0) samples.push({ chats: i, rss: treeRss(server.pid) });
    }
    const secondHalf = samples.filter((s) => s.chats >= chats / 2).map((s) => /** @type {[number, number]} */ ([s.chats, s.rss]));
    const perChat = slope(secondHalf);
    const rssValues = samples.map((s) => s.rss);
    return {
      chats,
      warmup,
      sessions: SESSIONS,
      every: EVERY,
      samples,
      startRss: samples[0].rss,
      endRss: samples[samples.length - 1].rss,
      peakRss: Math.max(...rssValues),
      slopeBytesPerChat: perChat,
      leak: perChat > LEAK_BYTES_PER_CHAT,
      verdict:
        perChat > LEAK_BYTES_PER_CHAT
          ? `**suspected leak**: RSS still grows ${(perChat / 1024).toFixed(1)} KB per chat in the second half (threshold ${LEAK_BYTES_PER_CHAT / 1024} KB)`
          : `no leak: growth in the second half ${(perChat / 1024).toFixed(1)} KB per chat (threshold ${LEAK_BYTES_PER_CHAT / 1024} KB)`,
    };
  } finally {
    await server.stop();
    await standin.stop();
  }
}
