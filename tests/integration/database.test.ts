import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { closeDb, getDb, getDatabaseHandle, type Database } from "@/lib/db/client";
import { migrationsFolder, openDatabase, pingDatabase } from "@/lib/db/open";
import { chatSessions, messages, projects, users } from "@/lib/db/schema";
import { getHealth } from "@/lib/api/health";

describe(`database (${inject("testDatabase").kind})`, () => {
  it("opens with the driver the configuration names and answers /health", async () => {
    const handle = await getDatabaseHandle();
    expect(handle.kind).toBe(inject("testDatabase").kind);
    const health = await getHealth();
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "healthy", database: "ok" });
  });

  it("applies every committed migration, and running them again changes nothing", async () => {
    const db = await getDb();
    const applied = await db.execute<{ count: number }>(sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
    const rows = Array.isArray(applied) ? applied : (applied as unknown as { rows: { count: number }[] }).rows;
    const journal = JSON.parse(fs.readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: unknown[] };
    expect(rows[0].count).toBe(journal.entries.length);

    // Reopening runs the migrator again through the same start-up path the server uses.
    await closeDb();
    await getDatabaseHandle();
    const again = await (
      await getDb()
    ).execute<{ count: number }>(sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
    const againRows = Array.isArray(again) ? again : (again as unknown as { rows: { count: number }[] }).rows;
    expect(againRows[0].count).toBe(journal.entries.length);
  });

  it("keeps emails unique regardless of case", async () => {
    const db = await getDb();
    const email = `Case.${randomUUID()}@Example.com`;
    await db.insert(users).values({ email, passwordHash: "x" });
    await expect(db.insert(users).values({ email: email.toLowerCase(), passwordHash: "y" })).rejects.toThrow();
  });

  it("orders messages by their per-session sequence and cascades deletes from projects", async () => {
    const db = await getDb();
    const ownerId = randomUUID();
    const [project] = await db.insert(projects).values({ ownerId, name: "Cascade" }).returning();
    const [session] = await db.insert(chatSessions).values({ projectId: project.id, ownerId, model: "offline" }).returning();
    // Inserted out of order on purpose: the order comes from seq, never from insertion time.
    await db.insert(messages).values([
      { sessionId: session.id, ownerId, seq: 2, role: "assistant", content: "second" },
      { sessionId: session.id, ownerId, seq: 1, role: "user", content: "first" },
    ]);
    const ordered = await db.select().from(messages).where(eq(messages.sessionId, session.id)).orderBy(asc(messages.seq));
    expect(ordered.map((m) => m.content)).toEqual(["first", "second"]);
    expect(ordered[0].parts).toEqual([]);
    expect(ordered[0].status).toBe("complete");

    await expect(
      db.insert(messages).values({ sessionId: session.id, ownerId, seq: 1, role: "user", content: "dup" }),
    ).rejects.toThrow();

    await db.delete(projects).where(and(eq(projects.id, project.id), eq(projects.ownerId, ownerId)));
    expect(await db.select().from(chatSessions).where(eq(chatSessions.id, session.id))).toHaveLength(0);
    expect(await db.select().from(messages).where(eq(messages.sessionId, session.id))).toHaveLength(0);
  });

  it("plans the hot lists on their indexes", async () => {
    const db = await getDb();
    await db.execute(sql`set enable_seqscan = off`);
    const plan = await db.execute(
      sql`explain select * from ${chatSessions} where project_id = ${randomUUID()} order by last_activity_at desc, id desc limit 50`,
    );
    await db.execute(sql`set enable_seqscan = on`);
    const text = JSON.stringify(plan);
    expect(text).toContain("chat_sessions_project_activity_idx");
  });

  it.skipIf(inject("testDatabase").kind !== "postgres")(
    "prepares no statement behind a transaction pooler (prepare=false), and does otherwise",
    async () => {
      const target = inject("testDatabase");
      if (target.kind !== "postgres") return;
      const preparedAfterAQuery = async (url: string) => {
        // One connection: the statements below and the count all run in the same server session.
        const handle = await openDatabase({ kind: "postgres", url, poolMax: 1 });
        try {
          await handle.db.select().from(users).limit(1);
          const result = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_prepared_statements`);
          return (result as unknown as { n: number }[])[0].n;
        } finally {
          await handle.close();
        }
      };
      // This file's database (integration-setup.ts), not the run's template, which must stay idle for copies.
      const fileUrl = process.env.DATABASE_URL!;
      const pooled = new URL(fileUrl);
      pooled.searchParams.set("prepare", "false");
      expect(await preparedAfterAQuery(pooled.toString())).toBe(0);
      expect(await preparedAfterAQuery(fileUrl)).toBeGreaterThan(0);
    },
  );

  it("reports a database that does not answer as down", async () => {
    const client = postgres("postgres://postgres@127.0.0.1:1/none", { connect_timeout: 1, max: 1 });
    expect(await pingDatabase(drizzle(client) as unknown as Database, 3000)).toBe(false);
    await client.end({ timeout: 0 });
  });
});
