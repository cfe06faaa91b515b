import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { usageEvents, userOpenRouterKeys } from "@/lib/db/schema";
import { resetConfigForTests } from "@/lib/config/env";
import { catalogRefreshForTests } from "@/lib/ai/catalog";
import { listAvailableModels } from "@/lib/ai/models";
import { deleteAllForOwner } from "@/lib/db/queries/projects";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as keyRoute from "@/app/api/v1/me/openrouter-key/route";
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import * as sessionsRoute from "@/app/api/v1/sessions/route";
import * as modelsRoute from "@/app/api/v1/project/available-models/route";
import {
  backgroundWorkDone,
  createProjectRow,
  createSessionRow,
  isTitleRequestBody,
  STANDIN_MODEL,
  STANDIN_TITLE,
  standinForFile,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";
import { createTestAdmin, jsonRequest } from "@/tests/support/admin";
import * as adminSettings from "@/app/api/v1/admin/settings/route";

/**
 * Bring your own key (#17 §4): a user's own OpenRouter key, sealed at rest, never answered back (last four
 * characters only), used for that user's calls only (replies, titles), opening OpenRouter's whole catalog to
 * them, removable, and ignored when the feature is off. The stand-in records each call's Authorization header:
 * that is what proves whose key paid.
 */

const TEAM_KEY = "sk-or-test-key";
const PAID_MODEL = "anthropic/claude-sonnet-4"; // in the stand-in's catalog, not in the default allow-list
const keyOf = (n: number) => `sk-or-v1-${n.toString(16).padStart(4, "0")}${"0123456789abcdef".repeat(4)}`;

const standin = standinForFile();
beforeEach(() => {
  standin().setScript({ reply: "Paid for.", failure: undefined, cost: 0.0002 });
  standin().answer("title", isTitleRequestBody, { reply: STANDIN_TITLE });
});
afterEach(() => {
  delete process.env.USER_KEYS_ENABLED;
  resetConfigForTests();
});

type Owner = Awaited<ReturnType<typeof createTestUser>>;
const url = "http://localhost/api/v1/me/openrouter-key";
const jsonHeaders = (owner: Owner) => ({ "content-type": "application/json", ...owner.headers });

const getKey = (owner: Owner) => keyRoute.GET(new Request(url, { headers: owner.headers }));
const putKey = (owner: Owner, body: unknown) =>
  keyRoute.PUT(new Request(url, { method: "PUT", headers: jsonHeaders(owner), body: JSON.stringify(body) }));
const deleteKey = (owner: Owner) => keyRoute.DELETE(new Request(url, { method: "DELETE", headers: owner.headers }));

async function send(owner: Owner, sessionId: string, message = "Hello") {
  const response = await chat.POST(
    new Request(`http://localhost/api/v1/sessions/${sessionId}/chat`, {
      method: "POST",
      headers: jsonHeaders(owner),
      body: JSON.stringify({ message }),
    }),
    { params: Promise.resolve({ id: sessionId }) },
  );
  return { status: response.status, text: await response.text() };
}

async function createChatVia(owner: Owner, projectId: string, model: string) {
  const response = await sessionsRoute.POST(
    new Request("http://localhost/api/v1/sessions", {
      method: "POST",
      headers: jsonHeaders(owner),
      // No title: the chat gets one generated after its first exchange (a title call).
      body: JSON.stringify({ project_id: projectId, chat_model: model }),
    }),
  );
  return { status: response.status, body: (await response.json()) as { id?: string; code?: string } };
}

/** The Authorization header of the chat calls (not titles) recorded from `from` on. */
const replyAuthorizations = (from: number) =>
  standin()
    .requests.slice(from)
    .filter((r) => !isTitleRequestBody(r.body))
    .map((r) => r.authorization);

async function setup() {
  const owner = await createTestUser();
  const project = await createProjectRow(owner.user.id);
  const session = await createSessionRow(owner.user.id, project.id);
  return { owner, project, session };
}

async function usageRowsOf(ownerId: string) {
  const db = await getDb();
  return db
    .select({ kind: usageEvents.kind, model: usageEvents.model, billed: usageEvents.billedToUserKey })
    .from(usageEvents)
    .where(eq(usageEvents.ownerId, ownerId));
}

describe(`bring your own OpenRouter key (${inject("testDatabase").kind})`, () => {
  it("saves a key, answers only its last four characters, and stores no plaintext", async () => {
    const { owner } = await setup();
    const key = keyOf(1);
    expect(await (await getKey(owner)).json()).toEqual({ enabled: true, configured: false, last4: null, readable: false });

    const saved = await putKey(owner, { key: `  ${key}  ` });
    const savedText = await saved.text();
    expect(saved.status).toBe(200);
    expect(JSON.parse(savedText)).toEqual({ enabled: true, configured: true, last4: key.slice(-4), readable: true });
    expect(savedText).not.toContain(key.slice(0, -4));
    const read = await (await getKey(owner)).text();
    expect(JSON.parse(read)).toMatchObject({ configured: true, last4: key.slice(-4) });
    expect(read).not.toContain(key.slice(0, -4));

    // At rest: nothing of the key but its last four characters, in any column, in any encoding we use.
    const db = await getDb();
    const [row] = await db.select().from(userOpenRouterKeys).where(eq(userOpenRouterKeys.ownerId, owner.user.id));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(key.slice(10, 40));
    expect(stored).not.toContain(Buffer.from(key).toString("base64url").slice(4, 30));
    expect(stored).not.toContain(Buffer.from(key).toString("base64").slice(4, 30));
    expect(row).toMatchObject({ keyVersion: 1, last4: key.slice(-4) });
    expect(Buffer.from(row!.iv, "base64url")).toHaveLength(12);

    // The models list says which models are billed to the key; it never carries the key either.
    const models = await (
      await modelsRoute.GET(new Request("http://localhost/api/v1/project/available-models", { headers: owner.headers }))
    ).text();
    expect(models).not.toContain(key.slice(0, -4));
  });

  it("refuses malformed keys with 422, without echoing them", async () => {
    const { owner } = await setup();
    for (const body of [
      { key: "not-a-key-at-all-but-long-enough" },
      { key: "sk-or-qzxw" },
      { key: `sk-or-v1-${"a".repeat(300)}` },
      { key: "sk-or-v1-has spaces inside the key here" },
      { key: 12345 },
      {},
      { key: keyOf(2), extra: true },
    ]) {
      const response = await putKey(owner, body);
      const text = await response.text();
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(JSON.parse(text)).toMatchObject({ code: "validation:user_key" });
      if (typeof body.key === "string") expect(text).not.toContain(body.key.slice(6, 20));
    }
    expect(await (await getKey(owner)).json()).toMatchObject({ configured: false });
  });

  it("sends the owner's calls with their key and everyone else's with the team's; marks the owner's usage", async () => {
    const a = await setup();
    const b = await setup();
    const key = keyOf(3);
    expect((await putKey(a.owner, { key })).status).toBe(200);
    const chatA = await createChatVia(a.owner, a.project.id, STANDIN_MODEL);
    const chatB = await createChatVia(b.owner, b.project.id, STANDIN_MODEL);

    const from = standin().requests.length;
    expect((await send(a.owner, chatA.body.id!)).status).toBe(200);
    expect((await send(b.owner, chatB.body.id!)).status).toBe(200);
    await backgroundWorkDone();
    expect(replyAuthorizations(from)).toEqual([`Bearer ${key}`, `Bearer ${TEAM_KEY}`]);
    // The title after A's first exchange is A's call too: their key, never the team's.
    const titles = standin()
      .requests.slice(from)
      .filter((r) => isTitleRequestBody(r.body));
    expect(titles.map((r) => r.authorization).sort()).toEqual([`Bearer ${key}`, `Bearer ${TEAM_KEY}`].sort());

    expect(await usageRowsOf(a.owner.user.id)).toEqual(
      expect.arrayContaining([
        { kind: "reply", model: STANDIN_MODEL, billed: true },
        { kind: "title", model: STANDIN_MODEL, billed: true },
      ]),
    );
    expect((await usageRowsOf(b.owner.user.id)).every((r) => !r.billed)).toBe(true);
    expect(await usageRowsOf(b.owner.user.id)).toHaveLength(2);
  });

  it("opens OpenRouter's catalog to the key's owner only, marked as their key", async () => {
    const a = await setup();
    const b = await setup();
    await listAvailableModels(a.owner.user.id);
    await catalogRefreshForTests();
    expect((await putKey(a.owner, { key: keyOf(4) })).status).toBe(200);

    const mine = await listAvailableModels(a.owner.user.id);
    expect(mine.find((m) => m.id === PAID_MODEL)).toMatchObject({ available: true, your_key: true });
    expect(mine.find((m) => m.id === STANDIN_MODEL)).toMatchObject({ available: true, your_key: true });
    const theirs = await listAvailableModels(b.owner.user.id);
    expect(theirs.some((m) => m.id === PAID_MODEL)).toBe(false);
    expect(theirs.every((m) => !m.your_key)).toBe(true);

    const created = await createChatVia(a.owner, a.project.id, PAID_MODEL);
    expect(created.status).toBe(201);
    const from = standin().requests.length;
    expect((await send(a.owner, created.body.id!)).status).toBe(200);
    expect(standin().requests[from]).toMatchObject({ authorization: `Bearer ${keyOf(4)}`, body: { model: PAID_MODEL } });

    // Another user: the same id is the clear 422 as before; an id that is not one stays refused for the owner too.
    expect(await createChatVia(b.owner, b.project.id, PAID_MODEL)).toMatchObject({
      status: 422,
      body: { code: "validation:model" },
    });
    expect(await createChatVia(a.owner, a.project.id, "no such model")).toMatchObject({ status: 422 });
    expect(await createChatVia(a.owner, a.project.id, "nobody/not-in-the-catalog")).toMatchObject({ status: 422 });
  });

  it("after DELETE, the owner's calls use the team's key and allow-list again; nobody else can delete it", async () => {
    const a = await setup();
    const b = await setup();
    await listAvailableModels(a.owner.user.id);
    await catalogRefreshForTests();
    const key = keyOf(5);
    expect((await putKey(a.owner, { key })).status).toBe(200);
    const paid = await createChatVia(a.owner, a.project.id, PAID_MODEL);

    // Another user's DELETE removes their own (absent) key, never A's.
    expect((await deleteKey(b.owner)).status).toBe(204);
    expect(await (await getKey(a.owner)).json()).toMatchObject({ configured: true });
    expect(await (await getKey(b.owner)).json()).toMatchObject({ configured: false });

    expect((await deleteKey(a.owner)).status).toBe(204);
    expect(await (await getKey(a.owner)).json()).toMatchObject({ configured: false, last4: null });
    const from = standin().requests.length;
    expect((await send(a.owner, a.session.id)).status).toBe(200);
    expect(replyAuthorizations(from)).toEqual([`Bearer ${TEAM_KEY}`]);
    const refused = await send(a.owner, paid.body.id!);
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.text)).toMatchObject({ code: "validation:model" });
  });

  it("tells the user their key was refused (401) or is out of credits (402), never OpenRouter's text", async () => {
    const { owner, session } = await setup();
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    expect((await putKey(owner, { key: keyOf(6) })).status).toBe(200);
    const upstreamText = "upstream-body-that-must-not-leak";

    standin().once({ failure: { kind: "http", status: 401, message: upstreamText } });
    const invalid = await send(owner, session.id);
    expect(invalid.status).toBe(502);
    expect(JSON.parse(invalid.text)).toMatchObject({ code: "upstream:user_key_refused" });
    expect(JSON.parse(invalid.text).detail).toMatch(/^Your OpenRouter key was refused/);
    expect(invalid.text).not.toContain(upstreamText);

    standin().once({ failure: { kind: "http", status: 402, message: upstreamText } });
    const credits = await send(owner, session.id);
    expect(JSON.parse(credits.text)).toMatchObject({ code: "upstream:user_key_credits" });
    expect(JSON.parse(credits.text).detail).toMatch(/^Your OpenRouter key has run out of credits/);
    expect(credits.text).not.toContain(upstreamText);

    // The team's key refused is not the user's problem, and is not worded as theirs.
    const other = await setup();
    standin().once({ failure: { kind: "http", status: 401, message: upstreamText } });
    const team = await send(other.owner, other.session.id);
    expect(JSON.parse(team.text)).toMatchObject({ code: "upstream:model" });
    await backgroundWorkDone();
    for (const spy of spies) spy.mockRestore();
    // The failures were logged (one line each), the key never.
    expect(logged.some((line) => line.includes("UserKeyRefusedError"))).toBe(true);
    expect(logged.join("\n")).not.toContain(keyOf(6).slice(0, -4));
  });

  it("when USER_KEYS_ENABLED=false: saving is refused with 403, and a saved key is not used", async () => {
    const { owner, session } = await setup();
    const key = keyOf(7);
    expect((await putKey(owner, { key })).status).toBe(200);
    process.env.USER_KEYS_ENABLED = "false";
    resetConfigForTests();

    const refused = await putKey(owner, { key: keyOf(8) });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "forbidden:user_key" });
    expect(await (await getKey(owner)).json()).toMatchObject({ enabled: false, configured: true, last4: key.slice(-4) });
    const from = standin().requests.length;
    expect((await send(owner, session.id)).status).toBe(200);
    await backgroundWorkDone();
    expect(
      standin()
        .requests.slice(from)
        .map((r) => r.authorization),
    ).toEqual(
      standin()
        .requests.slice(from)
        .map(() => `Bearer ${TEAM_KEY}`),
    );
    expect((await listAvailableModels(owner.user.id)).every((m) => !m.your_key)).toBe(true);
    // Removing stays possible: a user can always take their key back.
    expect((await deleteKey(owner)).status).toBe(204);
    expect(await (await getKey(owner)).json()).toMatchObject({ configured: false });
  });

  it("an admin's run-time switch overrides USER_KEYS_ENABLED, both ways", async () => {
    const { owner } = await setup();
    const admin = await createTestAdmin();
    const switchTo = async (value: boolean | null) => {
      const response = await adminSettings.PATCH(
        jsonRequest("/api/v1/admin/settings", "PATCH", admin.headers, { user_keys_enabled: value }),
      );
      expect(response.status).toBe(200);
    };
    try {
      await switchTo(false);
      expect((await putKey(owner, { key: keyOf(9) })).status).toBe(403);
      process.env.USER_KEYS_ENABLED = "false";
      resetConfigForTests();
      await switchTo(true);
      expect((await putKey(owner, { key: keyOf(9) })).status).toBe(200);
    } finally {
      await switchTo(null);
    }
    // Back to the environment's word.
    expect((await putKey(owner, { key: keyOf(10) })).status).toBe(403);
  });

  it("a key sealed under a previous AUTH_SECRET is reported unreadable and not used; the account's deletion removes it", async () => {
    const { owner, session } = await setup();
    const db = await getDb();
    // As if sealed before the secret was rotated: another key id (the ciphertext is then never tried).
    await db.insert(userOpenRouterKeys).values({
      ownerId: owner.user.id,
      keyVersion: 1,
      keyId: "an-older-secret0",
      iv: "AAAAAAAAAAAAAAAA",
      tag: "AAAAAAAAAAAAAAAAAAAAAA",
      ciphertext: "AAAA",
      last4: "beef",
    });
    expect(await (await getKey(owner)).json()).toEqual({ enabled: true, configured: true, last4: "beef", readable: false });
    const from = standin().requests.length;
    expect((await send(owner, session.id)).status).toBe(200);
    expect(replyAuthorizations(from)).toEqual([`Bearer ${TEAM_KEY}`]);
    await backgroundWorkDone();

    await deleteAllForOwner(owner.user.id);
    expect(await db.select().from(userOpenRouterKeys).where(eq(userOpenRouterKeys.ownerId, owner.user.id))).toEqual([]);
  });
});
