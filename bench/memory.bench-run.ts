/**
 * `npm run bench:memory`: a 200-turn conversation through Parley's REST stream (the real route handler, the
 * real OpenRouter provider, a loopback stand-in with realistic latency), once with memory on and once off.
 * Writes bench/results/memory-<date>.{json,md} and two SVG charts: input tokens per turn, time to first token.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { POST as streamRoute } from "@/app/api/v1/sessions/[id]/chat/stream/route";
import { getDb } from "@/lib/db/client";
import { projects } from "@/lib/db/schema";
import { createProjectRow, createSessionRow, storedSession, useStandin } from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";
// @ts-expect-error plain ESM helper without types
import { lineChartSvg, markdownTable, percentile } from "./lib/chart.mjs";

const TURNS = Number(process.env.BENCH_TURNS ?? 200);

it(`memory on vs off over ${TURNS} turns`, async () => {
  const standin = await useStandin();
  standin.setScript({
    ttftMs: 40,
    tokenDelayMs: 2,
    chunkWords: 1,
    reply: "Thanks, I have noted that detail and will keep it in mind for the rest of our conversation.",
  });

  async function run(memoryEnabled: boolean) {
    const { user, headers } = await createTestUser();
    const project = await createProjectRow(user.id, { systemPrompt: "You are a helpful assistant.", memoryEnabled });
    const session = await createSessionRow(user.id, project.id);
    const db = await getDb();
    await db.update(projects).set({ memoryThreshold: null, memoryKeepRecent: null }).where(eq(projects.id, project.id));
    const rows: Array<{ turn: number; inputTokens: number; ttftMs: number }> = [];
    for (let turn = 1; turn <= TURNS; turn++) {
      const started = performance.now();
      const response = await streamRoute(
        new Request(`http://localhost/api/v1/sessions/${session.id}/chat/stream`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({
            message: `Turn ${turn}: a note about order #${1000 + turn}, due on day ${(turn % 28) + 1}, costing ${turn * 7} euros.`,
          }),
        }),
        { params: Promise.resolve({ id: session.id }) },
      );
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let ttft = NaN;
      let buffered = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        if (Number.isNaN(ttft) && /^data: (?!\[DONE\])/m.test(buffered)) ttft = performance.now() - started;
      }
      // The summary runs in the background (after()); wait for the session to be free before the next turn, as
      // a person would, but never for the summary itself.
      let row = await storedSession(session.id);
      while (row.generationId) {
        await new Promise((r) => setTimeout(r, 5));
        row = await storedSession(session.id);
      }
      rows.push({ turn, inputTokens: row.lastInputTokens ?? 0, ttftMs: ttft });
    }
    return rows;
  }

  const on = await run(true);
  const off = await run(false);
  await standin.close();

  const at = [1, 10, 25, 50, 100, 150, 200].filter((t) => t <= TURNS);
  const table = at.map((t) => ({
    turn: t,
    "input tokens, memory on": on[t - 1].inputTokens,
    "input tokens, memory off": off[t - 1].inputTokens,
    "ratio off/on": (off[t - 1].inputTokens / on[t - 1].inputTokens).toFixed(2),
  }));
  const ttftPercentile = (rows: typeof on, p: number) =>
    percentile(
      rows.map((r) => r.ttftMs),
      p,
    ).toFixed(1);
  const ttftRow = (run: string, rows: typeof on) => ({
    run,
    "TTFT median ms": ttftPercentile(rows, 50),
    "TTFT p95 ms": ttftPercentile(rows, 95),
    "last-50-turns median ms": ttftPercentile(rows.slice(-50), 50),
  });
  const ttftSummary = [ttftRow("memory on", on), ttftRow("memory off", off)];

  const dir = path.join(process.cwd(), "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const base = path.join(dir, `memory-${date}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify({ turns: TURNS, standin: { ttftMs: 40, tokenDelayMs: 2 }, on, off }, null, 2));
  const writeChart = (suffix: string, title: string, yLabel: string, y: (r: (typeof on)[number]) => number) =>
    fs.writeFileSync(
      `${base}-${suffix}.svg`,
      lineChartSvg({
        title,
        xLabel: "turn",
        yLabel,
        series: [
          { name: "memory on", points: on.map((r) => [r.turn, y(r)]) },
          { name: "memory off", points: off.map((r) => [r.turn, y(r)]) },
        ],
      }),
    );
  writeChart("tokens", "Input tokens per turn", "input tokens (provider usage)", (r) => r.inputTokens);
  writeChart("ttft", "Time to first token per turn (stand-in TTFT 40 ms)", "ms", (r) => r.ttftMs);
  const markdown = `# Memory benchmark (${date})\n\n${TURNS}-turn conversation through \`POST /api/v1/sessions/{id}/chat/stream\`, real OpenRouter provider against the loopback stand-in (TTFT 40 ms, 2 ms per token), embedded database, defaults N = 20, K = 6.\n\n## Input tokens per turn\n\n${markdownTable(table)}\n\n![tokens](memory-${date}-tokens.svg)\n\n## Time to first token\n\n${markdownTable(ttftSummary)}\n\n![ttft](memory-${date}-ttft.svg)\n`;
  fs.writeFileSync(`${base}.md`, markdown);
  console.info(markdown);
  expect(on.at(-1)!.inputTokens).toBeLessThan(off.at(-1)!.inputTokens);
});
