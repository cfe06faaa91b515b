import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import * as uiChat from "@/app/api/chat/route";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { storedMessages } from "../support/chat-fixtures";
import { createOwnedFixture, drain, setUpSecurityScene, type OwnedFixture, type SecurityScene } from "../support/security-routes";

vi.mock("next/headers", () => import("../support/next-cookies"));

/**
 * #12: the chat screen names its user message; that name must not be the row's primary key as sent. It was:
 * an id that existed anywhere (another user's message) failed the insert with a 500, which also told the caller
 * that the id exists. Now the stored id is the client's id scoped to the session, so another user's id is just a
 * fresh name, and only the caller's own retry in the same session meets its earlier message (409).
 */
describe(`#12 client message ids on /api/chat (${inject("testDatabase").kind})`, () => {
  let scene: SecurityScene;
  let mine: OwnedFixture;
  let myOtherChat: OwnedFixture;

  const send = async (f: OwnedFixture, id: string) => {
    const body = {
      trigger: "submit-message",
      sessionId: f.sessionId,
      message: { id, role: "user", parts: [{ type: "text", text: `hello ${id}` }] },
    };
    const response = await uiChat.POST(
      new Request("http://localhost/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `${ACCESS_COOKIE}=${scene.other.token}` },
        body: JSON.stringify(body),
      }),
    );
    return { status: response.status, text: await drain(response) };
  };
  const userRows = async (f: OwnedFixture) =>
    (await storedMessages(f.sessionId)).filter((m) => m.role === "user" && m.content.startsWith("hello "));

  beforeAll(async () => {
    scene = await setUpSecurityScene("chat-ids");
    mine = await createOwnedFixture(scene.other, "chat-ids-mine");
    myOtherChat = await createOwnedFixture(scene.other, "chat-ids-mine-2");
  });
  afterAll(() => scene.standin.close());

  it("#12 another user's existing message id is answered like a fresh id, and the stored id gives nothing away", async () => {
    const foreign = scene.target.messageIds[0];
    const fresh = randomUUID();
    const a = await send(mine, foreign);
    const b = await send(mine, fresh);
    expect(a.status, a.text).toBe(200);
    expect(b.status, b.text).toBe(200);
    const [first, second] = await userRows(mine);
    // Neither id is kept as sent, so the stored ids cannot tell a taken id from a free one.
    expect(first.id).not.toBe(foreign);
    expect(second.id).not.toBe(fresh);
    expect(first.content).toBe(`hello ${foreign}`);
    // The owner's message is untouched.
    expect((await storedMessages(scene.target.sessionId)).map((m) => m.id)).toEqual(scene.target.messageIds);
  });

  it("#12 a retry of the caller's own id in the same chat stores nothing twice (#15: the latest turn's reply again; an older one 409)", async () => {
    const id = randomUUID();
    expect((await send(myOtherChat, id)).status).toBe(200);
    const retry = await send(myOtherChat, id);
    expect(retry.status, retry.text).toBe(200);
    expect((await userRows(myOtherChat)).map((m) => m.content)).toEqual([`hello ${id}`]);
    expect((await send(myOtherChat, randomUUID())).status).toBe(200);
    const late = await send(myOtherChat, id);
    expect(late.status, late.text).toBe(409);
    expect(JSON.parse(late.text)).toMatchObject({ code: "conflict:message" });
    expect((await userRows(myOtherChat)).map((m) => m.content)).toEqual([`hello ${id}`, expect.stringMatching(/^hello /)]);
  });

  it("#12 the caller's own id from another chat is a fresh id in this one", async () => {
    const id = randomUUID();
    const chatA = await createOwnedFixture(scene.other, "chat-ids-a");
    const chatB = await createOwnedFixture(scene.other, "chat-ids-b");
    expect((await send(chatA, id)).status).toBe(200);
    const again = await send(chatB, id);
    expect(again.status, again.text).toBe(200);
    expect((await userRows(chatB)).map((m) => m.content)).toEqual([`hello ${id}`]);
  });
});
