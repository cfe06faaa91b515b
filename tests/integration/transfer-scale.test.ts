import { createWriteStream, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { resetConfigForTests } from "@/lib/config/env";
import { linkAsOnePath } from "@/tests/support/message-tree";
import { getDb } from "@/lib/db/client";
import { chatSessions, messages } from "@/lib/db/schema";
import { createTestUser } from "../support/auth";
import { createProjectRow } from "../support/chat-fixtures";
import { snapshotOf } from "../support/security-routes";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as accountExport from "@/app/api/v1/export/route";
import * as importRoute from "@/app/api/v1/import/route";

/**
 * The account export streams: 100,000 messages are exported while the live heap of this process (which is the
 * server here: the route handler runs in it) is sampled after forced collections. A version that loaded the
 * account first would hold every row at once, several times the file's size; the bound below allows a third of
 * it. Then the file is imported into a new account (batched inserts in one transaction), timed, and exported
 * again: the same size, byte for byte, since only ids (same length) and the export time differ. Figures are
 * printed, never asserted on time.
 */

const CHATS = 10;
const PER_CHAT = 10_000;
const TOTAL = CHATS * PER_CHAT;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const file = path.join(tmpdir(), `parley-export-${process.pid}-${Date.now()}.json`);
afterAll(() => rmSync(file, { force: true }));

/** Streams a download to disk (the test must not hold it either), sampling the live heap every 16 chunks. */
async function download(response: Response, to: string) {
  gc();
  const baseline = process.memoryUsage();
  let peakHeap = 0;
  let peakRss = 0;
  let bytes = 0;
  let chunks = 0;
  const out = createWriteStream(to);
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (!out.write(value)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    if (++chunks % 16 === 0) {
      gc();
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed - baseline.heapUsed);
      peakRss = Math.max(peakRss, now.rss - baseline.rss);
    }
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return { bytes, chunks, peakHeap, peakRss, baselineRss: baseline.rss };
}

describe(`a 100,000-message account (${inject("testDatabase").kind})`, () => {
  it("exports in bounded memory, imports in one batched transaction, and round-trips", { timeout: 600_000 }, async () => {
    const kind = inject("testDatabase").kind;
    const owner = await createTestUser("Heavy user");
    const project = await createProjectRow(owner.user.id);
    const db = await getDb();
    const seeded = Date.now();
    const sessions = await db
      .insert(chatSessions)
      .values(
        Array.from({ length: CHATS }, (_, i) => ({
          ownerId: owner.user.id,
          projectId: project.id,
          model: "offline",
          title: `Long chat ${i}`,
          lastSeq: PER_CHAT,
          messageCount: PER_CHAT,
        })),
      )
      .returning({ id: chatSessions.id });
    for (const session of sessions) {
      await db.execute(sql`
        insert into ${messages} (session_id, owner_id, seq, role, content, parts, status, model, created_at)
        select ${session.id}::uuid, ${owner.user.id}::uuid, g, case when g % 2 = 1 then 'user' else 'assistant' end, c,
               jsonb_build_array(jsonb_build_object('type', 'text', 'text', c)), 'complete', 'offline',
               timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second'
        from generate_series(1, ${PER_CHAT}) g,
             lateral (select 'Message ' || g || ': ' || repeat('lorem ipsum ', 8) as c) t`);
      await linkAsOnePath(db, session.id);
    }
    const seedMs = Date.now() - seeded;

    const started = Date.now();
    const response = await accountExport.GET(new Request("http://localhost/api/v1/export", { headers: owner.headers }));
    expect(response.status).toBe(200);
    const exported = await download(response, file);
    const exportMs = Date.now() - started;

    // The import must accept the file: allow its size (the default, 50 MiB, is about the size of this one).
    process.env.IMPORT_MAX_BYTES = String(exported.bytes + 1024);
    resetConfigForTests();
    const newcomer = await createTestUser("Importer of many");
    const body = readFileSync(file, "utf8");
    const importStarted = Date.now();
    const imported = await importRoute.POST(
      new Request("http://localhost/api/v1/import", {
        method: "POST",
        headers: { ...newcomer.headers, "content-type": "application/json" },
        body,
      }),
    );
    const importMs = Date.now() - importStarted;
    delete process.env.IMPORT_MAX_BYTES;
    resetConfigForTests();
    const result = await imported.json();
    expect(imported.status, JSON.stringify(result).slice(0, 300)).toBe(201);
    expect(result).toMatchObject({ projects: 1, chats: CHATS, messages: TOTAL });
    expect((await snapshotOf(newcomer.user.id)).messages).toHaveLength(TOTAL);

    const again = await download(
      await accountExport.GET(new Request("http://localhost/api/v1/export", { headers: newcomer.headers })),
      `${file}.again`,
    );
    rmSync(`${file}.again`, { force: true });

    console.log(
      `[export scale, ${kind}] ${TOTAL.toLocaleString("en-US")} messages: seeded in ${seedMs} ms; ` +
        `export ${MiB(exported.bytes)} in ${exported.chunks} chunks, ${exportMs} ms; ` +
        `live heap growth peak ${MiB(exported.peakHeap)} (${((100 * exported.peakHeap) / exported.bytes).toFixed(1)}% of the file), ` +
        `RSS ${MiB(exported.baselineRss)} + peak ${MiB(exported.peakRss)}; ` +
        `import ${importMs} ms (${Math.round(TOTAL / (importMs / 1000)).toLocaleString("en-US")} messages/s); ` +
        `re-export ${MiB(again.bytes)}, heap peak ${MiB(again.peakHeap)}`,
    );
    expect(exported.peakHeap).toBeLessThan(exported.bytes / 3);
    expect(again.bytes).toBe(exported.bytes);
  });
});
