import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import * as uiChat from "@/app/api/chat/route";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { resetConfigForTests } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { chatSessions, projects } from "@/lib/db/schema";
import { CHAT_ID_HEADER } from "@/lib/chat/ui/ui-contract";
import { DEFAULT_PROJECT_NAME, landingProjectIdOf } from "@/lib/projects/service";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { createTestUser } from "../support/auth";
import { backgroundWorkDone, createProjectRow, createSessionRow, storedMessages, storedSession } from "../support/chat-fixtures";

vi.mock("next/headers", () => import("../support/next-cookies"));

/**
 * #14 "No empty chats": the chat screen's "New chat" stores nothing; its first message (POST /api/chat with
 * `newChat`) creates the chat together with the message, in one transaction, or not at all. And the default
 * project a new account lands in is made once, however many tabs land at the same moment.
 */

const saved = {
  rate: process.env.RATE_LIMIT_MESSAGES_PER_MINUTE,
  sessions: process.env.MAX_SESSIONS_PER_PROJECT,
};
const restore = (key: string, value: string | undefined) => {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
};
beforeEach(() => {
  process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = "1000";
  delete process.env.MAX_SESSIONS_PER_PROJECT;
  resetConfigForTests();
  resetRateLimitsForTests();
});
afterAll(() => {
  restore("RATE_LIMIT_MESSAGES_PER_MINUTE", saved.rate);
  restore("MAX_SESSIONS_PER_PROJECT", saved.sessions);
  resetConfigForTests();
  resetRateLimitsForTests();
});

type Body = Record<string, unknown>;

function firstMessage(newChat: Body, text = "Hello there", messageId = randomUUID()): Body {
  return { trigger: "submit-message", newChat, message: { id: messageId, role: "user", parts: [{ type: "text", text }] } };
}

async function post(token: string, body: Body) {
  const response = await uiChat.POST(
    new Request("http://localhost/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: `${ACCESS_COOKIE}=${token}` },
      body: JSON.stringify(body),
    }),
  );
  // Read to the end: the reply is stored (and the chat's lease released) before the stream closes.
  const text = await response.text();
  return { status: response.status, chatId: response.headers.get(CHAT_ID_HEADER), text };
}

async function chatsOf(ownerId: string) {
  const db = await getDb();
  return db.select().from(chatSessions).where(eq(chatSessions.ownerId, ownerId));
}

async function chatUser() {
  const { user, token } = await createTestUser();
  const project = await createProjectRow(user.id);
  return { user, token, project };
}

describe(`#14 a chat is created with its first message (${inject("testDatabase").kind})`, () => {
  it("stores the chat, its question and its reply together; the x-chat-id header names it", async () => {
    const { user, token, project } = await chatUser();
    const clientId = randomUUID();
    const sent = await post(token, firstMessage({ id: clientId, projectId: project.id, model: "offline" }, "First words"));
    expect(sent.status, sent.text).toBe(200);
    await backgroundWorkDone();
    const [chat] = await chatsOf(user.id);
    expect(sent.chatId).toBe(chat.id);
    // The client's UUID is a name, not the primary key (#12's rule for message ids, for chats too).
    expect(chat.id).not.toBe(clientId);
    // The first reply titles the chat (the offline model from the question's first words), as any chat.
    expect(chat).toMatchObject({
      projectId: project.id,
      model: "offline",
      title: "First words",
      titleSetByUser: false,
      messageCount: 2,
    });
    expect((await storedMessages(chat.id)).map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect((await storedMessages(chat.id))[0].content).toBe("First words");
  });

  it("takes the project's default model when the screen names none", async () => {
    const { user, token } = await createTestUser();
    const project = await createProjectRow(user.id, { defaultModel: "offline" });
    expect((await post(token, firstMessage({ id: randomUUID(), projectId: project.id }))).status).toBe(200);
    expect((await chatsOf(user.id)).map((c) => c.model)).toEqual(["offline"]);
  });

  it("a refused first message leaves no chat: invalid text, unknown model, rate limit, chat cap", async () => {
    const { user, token, project } = await chatUser();
    const target = () => ({ id: randomUUID(), projectId: project.id, model: "offline" });

    const empty = await post(token, firstMessage(target(), "   "));
    expect(empty.status, empty.text).toBe(422);
    const nul = await post(token, firstMessage(target(), "bad \u0000 text"));
    expect(nul.status, nul.text).toBe(422);
    const model = await post(token, firstMessage({ ...target(), model: "no/such-model" }));
    expect(model.status, model.text).toBe(422);
    expect(JSON.parse(model.text)).toMatchObject({ code: "validation:model" });
    const notUuid = await post(token, firstMessage({ ...target(), id: "not-a-uuid" }));
    expect(notUuid.status, notUuid.text).toBe(422);
    expect(await chatsOf(user.id)).toEqual([]);

    process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = "1";
    resetConfigForTests();
    resetRateLimitsForTests();
    expect((await post(token, firstMessage(target()))).status).toBe(200);
    const limited = await post(token, firstMessage(target()));
    expect(limited.status, limited.text).toBe(429);
    expect(JSON.parse(limited.text)).toMatchObject({ code: "rate_limited:chat" });
    expect(await chatsOf(user.id)).toHaveLength(1);

    process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = "1000";
    process.env.MAX_SESSIONS_PER_PROJECT = "1";
    resetConfigForTests();
    resetRateLimitsForTests();
    const capped = await post(token, firstMessage(target()));
    expect(capped.status, capped.text).toBe(409);
    expect(JSON.parse(capped.text)).toMatchObject({ code: "limit:sessions" });
    expect(await chatsOf(user.id)).toHaveLength(1);
    await backgroundWorkDone();
  });

  it("a retry of the first message (same client ids) finds the chat its first attempt made: its reply again, nothing twice", async () => {
    const { user, token, project } = await chatUser();
    const newChat = { id: randomUUID(), projectId: project.id, model: "offline" };
    const messageId = randomUUID();
    const first = await post(token, firstMessage(newChat, "Only once", messageId));
    expect(first.status, first.text).toBe(200);
    // The first answer was lost on the way (#15): the retry is the same turn, answered with the stored reply.
    const retry = await post(token, firstMessage(newChat, "Only once", messageId));
    expect(retry.status, retry.text).toBe(200);
    expect(retry.chatId).toBe(first.chatId);
    const chats = await chatsOf(user.id);
    expect(chats).toHaveLength(1);
    expect((await storedMessages(chats[0].id)).filter((m) => m.role === "user").map((m) => m.content)).toEqual(["Only once"]);
    const reply = (await storedMessages(chats[0].id)).find((m) => m.role === "assistant")!;
    expect(retry.text).toContain(`"messageId":"${reply.id}"`);

    // The same client chat id with a new message: a second message of that chat, never a second chat.
    const next = await post(token, firstMessage(newChat, "And again"));
    expect(next.status, next.text).toBe(200);
    expect(next.chatId).toBe(chats[0].id);
    expect(await chatsOf(user.id)).toHaveLength(1);
    expect((await storedMessages(chats[0].id)).map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    await backgroundWorkDone();
  });

  it("a double send of the first message at once makes one chat with one question", async () => {
    const { user, token, project } = await chatUser();
    const body = firstMessage({ id: randomUUID(), projectId: project.id, model: "offline" }, "Clicked twice");
    const answers = await Promise.all([post(token, body), post(token, body), post(token, body)]);
    // One turn: the sends after the first are that turn again (#15), each answered with its one reply.
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses, answers.map((a) => a.text).join("\n")).toEqual([200, 200, 200]);
    await backgroundWorkDone();
    const chats = await chatsOf(user.id);
    expect(chats).toHaveLength(1);
    const stored = await storedMessages(chats[0].id);
    expect(stored.map((m) => [m.role, m.content.slice(0, 13)])).toEqual([
      ["user", "Clicked twice"],
      ["assistant", expect.any(String)],
    ]);
    for (const answer of answers) expect(answer.text).toContain(`"messageId":"${stored[1]!.id}"`);
  });

  it("another user's project is a 404 and stores nothing; another user's chat id names a chat of the caller's own", async () => {
    const owner = await chatUser();
    const theirChat = await createSessionRow(owner.user.id, owner.project.id, "offline");
    const { user, token, project } = await chatUser();

    const foreign = await post(token, firstMessage({ id: randomUUID(), projectId: owner.project.id, model: "offline" }));
    expect(foreign.status, foreign.text).toBe(404);
    expect(JSON.parse(foreign.text)).toMatchObject({ code: "not_found:project" });
    expect(foreign.text).not.toContain(owner.project.id);
    expect(await chatsOf(user.id)).toEqual([]);
    expect(await chatsOf(owner.user.id)).toHaveLength(1);

    // Their chat's id as the client's name: a fresh chat of the caller's, and theirs untouched (no way to learn
    // that the id exists, no message of the caller's in it).
    const named = await post(token, firstMessage({ id: theirChat.id, projectId: project.id, model: "offline" }, "Mine"));
    expect(named.status, named.text).toBe(200);
    expect(named.chatId).not.toBe(theirChat.id);
    expect((await chatsOf(user.id)).map((c) => c.id)).toEqual([named.chatId]);
    expect(await storedMessages(theirChat.id)).toEqual([]);
    expect((await storedSession(theirChat.id)).ownerId).toBe(owner.user.id);
    await backgroundWorkDone();
  });

  it("a body naming both a stored chat and a new one is read as a send to the stored chat; neither id is a 500", async () => {
    const { user, token, project } = await chatUser();
    const stored = await createSessionRow(user.id, project.id, "offline");
    const both = await post(token, {
      ...firstMessage({ id: randomUUID(), projectId: project.id, model: "offline" }),
      sessionId: stored.id,
    });
    expect(both.status, both.text).toBe(200);
    expect(both.chatId).toBe(stored.id);
    expect((await chatsOf(user.id)).map((c) => c.id)).toEqual([stored.id]);
    await backgroundWorkDone();
  });
});

describe(`#14 the default project a new account lands in (${inject("testDatabase").kind})`, () => {
  const projectsOf = async (ownerId: string) => {
    const db = await getDb();
    return db.select().from(projects).where(eq(projects.ownerId, ownerId));
  };

  it("is made on first need, once, even when several tabs land at the same moment", async () => {
    const { user } = await createTestUser();
    const ids = await Promise.all(Array.from({ length: 6 }, () => landingProjectIdOf(user.id)));
    expect(new Set(ids).size).toBe(1);
    const made = await projectsOf(user.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      id: ids[0],
      name: DEFAULT_PROJECT_NAME,
      systemPrompt: "",
      defaultModel: null,
      isDefault: true,
    });
  });

  it("the database refuses a second default project of one owner (what makes the race safe)", async () => {
    const { user } = await createTestUser();
    await landingProjectIdOf(user.id);
    const db = await getDb();
    await expect(db.insert(projects).values({ ownerId: user.id, name: "Another", isDefault: true })).rejects.toThrow();
    // Other owners' defaults and non-default projects are not affected.
    const other = await createTestUser();
    await db.insert(projects).values({ ownerId: other.user.id, name: "Theirs", isDefault: true });
    await db.insert(projects).values({ ownerId: user.id, name: "Work" });
    expect(await projectsOf(user.id)).toHaveLength(2);
  });

  it("stays the landing project when renamed; once deleted, the most recently active project is used instead", async () => {
    const { user } = await createTestUser();
    const work = await createProjectRow(user.id);
    // A user who already has a project is not given a default one.
    expect(await landingProjectIdOf(user.id)).toBe(work.id);
    expect(await projectsOf(user.id)).toHaveLength(1);

    const db = await getDb();
    await db.delete(projects).where(eq(projects.id, work.id));
    const personal = await landingProjectIdOf(user.id);
    await db.update(projects).set({ name: "Home" }).where(eq(projects.id, personal));
    const newer = await createProjectRow(user.id);
    await db
      .update(projects)
      .set({ lastActivityAt: sql`now() + interval '1 minute'` })
      .where(eq(projects.id, newer.id));
    expect(await landingProjectIdOf(user.id)).toBe(personal);

    await db.delete(projects).where(and(eq(projects.id, personal), eq(projects.ownerId, user.id)));
    expect(await landingProjectIdOf(user.id)).toBe(newer.id);
    expect(await projectsOf(user.id)).toHaveLength(1);
  });
});
