import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "@/lib/config/env";
import { startGeneration } from "@/lib/chat/engine/send-message";
import { titleAfterReply, titleModelFor } from "@/lib/chat/engine/title-hook";
import { renameChatAction } from "@/lib/chats/actions";
import { createChat, updateChat } from "@/lib/chats/service";
import { DEFAULT_CHAT_TITLE, TITLE_INSTRUCTIONS } from "@/lib/chats/title-prompt";
import { getModelInfo } from "@/lib/ai/models";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { cookieJar } from "@/tests/support/next-cookies";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as item from "@/app/api/v1/sessions/[id]/route";
import * as collection from "@/app/api/v1/sessions/route";
import * as chat from "@/app/api/v1/sessions/[id]/chat/route";
import {
  backgroundWorkDone,
  contentText,
  createProjectRow,
  gate,
  isTitleRequest,
  isTitleRequestBody,
  STANDIN_MODEL,
  STANDIN_TITLE,
  standinForFile,
  storedMessages,
  storedSession,
  systemOf,
} from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";

/**
 * Automatic chat titles: generated in the background after the first reply (through the real OpenRouter
 * provider and the stand-in, or the offline model), sanitised, never over a title a person set, never failing
 * the turn.
 */

const standin = standinForFile();
const isTitle = isTitleRequestBody;
beforeEach(() => {
  standin().setScript({ reply: "Lisbon in May is lovely.", failure: undefined, usage: undefined });
  standin().answer("title", isTitle, { reply: STANDIN_TITLE });
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.TITLE_MODEL;
  delete process.env.MEMORY_SUMMARY_MODEL;
  resetConfigForTests();
});

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const url = (path: string) => `http://localhost/api/v1/sessions${path}`;
const post = (body: unknown, headers: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

async function newChat(model = STANDIN_MODEL) {
  const owner = await createTestUser();
  const project = await createProjectRow(owner.user.id);
  const session = await createChat(owner.user.id, { projectId: project.id, model });
  expect(session.title).toBe(DEFAULT_CHAT_TITLE);
  /** A turn through the REST route, as a client sends it: the title job runs after it, on its own. */
  const send = async (message: string) => {
    const response = await chat.POST(
      new Request(url(`/${session.id}/chat`), post({ message }, owner.headers)),
      params(session.id),
    );
    expect(response.status).toBe(200);
    return response.json() as Promise<{ response: string }>;
  };
  const view = async () =>
    (await (await item.GET(new Request(url(`/${session.id}`), { headers: owner.headers }), params(session.id))).json()) as {
      title: string;
    };
  return { owner, project, session, send, view };
}

const titleRequestsOf = (sessionQuestion: string) =>
  standin().requests.filter((r) => isTitleRequest(r) && JSON.stringify(r.body.messages).includes(sessionQuestion));

describe("chat titles", () => {
  it("after the first reply: asks the chat's model with the first exchange, stores the answer sanitised, REST shows it", async () => {
    standin().answer("title", isTitle, { reply: '  "**Planning a Trip to Lisbon.**"  \nSecond line ignored' });
    const { owner, project, session, send, view } = await newChat();
    const question = "I want to plan a trip to Lisbon in May, where should I start?";
    expect((await send(question)).response).toBe("Lisbon in May is lovely.");
    await backgroundWorkDone();

    const [request, ...more] = titleRequestsOf(question);
    expect(more).toHaveLength(0);
    expect(request!.body.model).toBe(STANDIN_MODEL);
    expect(request!.body.stream).toBeFalsy();
    const system = systemOf(request!);
    expect(system).toBe(TITLE_INSTRUCTIONS);
    expect(system).toMatch(/2 to 6 words/);
    expect(system).toMatch(/same language as the\s+user's message/);
    const prompt = (request!.body.messages ?? [])
      .filter((m) => m.role === "user")
      .map((m) => contentText(m.content))
      .join("\n");
    expect(prompt).toContain(question);
    expect(prompt).toContain("Lisbon in May is lovely.");

    expect(await storedSession(session.id)).toMatchObject({ title: "Planning a Trip to Lisbon", titleSetByUser: false });
    expect((await view()).title).toBe("Planning a Trip to Lisbon");
    const list = await (await collection.GET(new Request(url(`?project_id=${project.id}`), { headers: owner.headers }))).json();
    expect(list.map((s: { title: string }) => s.title)).toEqual(["Planning a Trip to Lisbon"]);

    // Only the first exchange names a chat: a second turn asks for no title.
    const before = standin().requests.filter(isTitleRequest).length;
    await send("And in June?");
    await backgroundWorkDone();
    expect(standin().requests.filter(isTitleRequest)).toHaveLength(before);
    expect((await view()).title).toBe("Planning a Trip to Lisbon");
  });

  it("a failing title model: the turn succeeds, the title stays the default, one log line without upstream text", async () => {
    standin().answer("title", isTitle, { failure: { kind: "http", status: 500, message: "secret upstream detail" } });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { session, send, view } = await newChat();
    const question = "Which wine goes with bacalhau?";
    expect((await send(question)).response).toBe("Lisbon in May is lovely.");
    await backgroundWorkDone();

    expect(titleRequestsOf(question)).toHaveLength(1);
    expect((await storedMessages(session.id)).map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect((await view()).title).toBe(DEFAULT_CHAT_TITLE);
    const lines = [...warn.mock.calls, ...error.mock.calls].map((args) => args.map(String).join(" "));
    const titleLines = lines.filter((line) => line.includes(session.id) || /title/i.test(line));
    expect(titleLines).toHaveLength(1);
    expect(titleLines[0]).toContain(`stays "${DEFAULT_CHAT_TITLE}"`);
    expect(lines.join("\n")).not.toContain("secret upstream detail");
  });

  it("an answer with nothing usable in it (quotes, punctuation) leaves the default title", async () => {
    standin().answer("title", isTitle, { reply: '"…"' });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { send, view } = await newChat();
    await send("Hello there, how are you?");
    await backgroundWorkDone();
    expect((await view()).title).toBe(DEFAULT_CHAT_TITLE);
    expect(warn.mock.calls.filter((args) => String(args[0]).includes("title"))).toHaveLength(1);
  });

  it("a chat its user named before the first reply is never retitled (no title request at all)", async () => {
    const { owner, session, send, view } = await newChat();
    cookieJar.set(ACCESS_COOKIE, owner.token);
    try {
      expect(await renameChatAction(session.id, "My Lisbon notes")).toEqual({ ok: true, data: { title: "My Lisbon notes" } });
    } finally {
      cookieJar.clear();
    }
    expect(await storedSession(session.id)).toMatchObject({ titleSetByUser: true });
    const question = "Tell me about trams in Lisbon.";
    await send(question);
    await backgroundWorkDone();
    expect(titleRequestsOf(question)).toHaveLength(0);
    expect((await view()).title).toBe("My Lisbon notes");
  });

  it("even one named back to the default title by hand keeps it (the user set it)", async () => {
    const { owner, session, send, view } = await newChat();
    await updateChat(owner.user.id, session.id, { title: DEFAULT_CHAT_TITLE });
    const question = "What is a pastel de nata?";
    await send(question);
    await backgroundWorkDone();
    expect(titleRequestsOf(question)).toHaveLength(0);
    expect((await view()).title).toBe(DEFAULT_CHAT_TITLE);
  });

  it.each(["Week plan (mine)", DEFAULT_CHAT_TITLE])(
    "race: a rename that lands while the title model is thinking wins (%s)",
    async (mine) => {
      const hold = gate();
      standin().answer("title", isTitle, { reply: "Generated Title", pause: { beforeChunk: 0, until: hold.promise } });
      const { owner, session } = await newChat();
      const generation = await startGeneration({ ownerId: owner.user.id, sessionId: session.id, text: "Plan my week, please." });
      await generation.done;
      const seen = standin().requests.length;
      const job = titleAfterReply(owner.user.id, generation);
      await standin().waitForRequests(seen + 1);
      expect(isTitleRequest(standin().requests.at(-1)!)).toBe(true);
      // The title request is in flight: the user renames the chat now (PATCH).
      const patched = await item.PATCH(
        new Request(url(`/${session.id}`), { ...post({ title: mine }, owner.headers), method: "PATCH" }),
        params(session.id),
      );
      expect(patched.status).toBe(200);
      hold.open();
      expect(await job).toBe("kept");
      expect(await storedSession(session.id)).toMatchObject({ title: mine, titleSetByUser: true });
    },
  );

  it("a failed first reply names nothing; its regenerated answer does", async () => {
    const { owner, session } = await newChat();
    standin().once({ failure: { kind: "http", status: 500 } });
    const failed = await startGeneration({ ownerId: owner.user.id, sessionId: session.id, text: "Explain fado in short." });
    expect((await failed.done).status).toBe("error");
    expect(await titleAfterReply(owner.user.id, failed)).toBe("skipped");

    const again = await startGeneration({ ownerId: owner.user.id, sessionId: session.id, trigger: "regenerate-message" });
    expect((await again.done).status).toBe("complete");
    expect(await titleAfterReply(owner.user.id, again)).toBe("titled");
    expect((await storedSession(session.id))?.title).toBe(STANDIN_TITLE);
  });

  it("the offline model titles deterministically from the first words of the question", async () => {
    const question = "Wie plane ich eine Reise nach Lissabon im Mai?";
    const titles: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { send, view } = await newChat("offline");
      const seen = standin().requests.length;
      await send(question);
      await backgroundWorkDone();
      expect(standin().requests.length).toBe(seen); // nothing reached the network
      titles.push((await view()).title);
    }
    expect(titles).toEqual(["Wie plane ich eine Reise nach", "Wie plane ich eine Reise nach"]);
  });

  it("TITLE_MODEL chooses the title model; unset, the summary model; else the chat's own", async () => {
    const offline = (await getModelInfo("offline"))!;
    expect((await titleModelFor(offline)).id).toBe("offline");
    process.env.MEMORY_SUMMARY_MODEL = STANDIN_MODEL;
    resetConfigForTests();
    expect((await titleModelFor(offline)).id).toBe(STANDIN_MODEL);
    process.env.MEMORY_SUMMARY_MODEL = "";
    process.env.TITLE_MODEL = "not/a-known-model";
    resetConfigForTests();
    expect((await titleModelFor(offline)).id).toBe("offline");

    // End to end: an offline chat titled by the configured OpenRouter model.
    process.env.TITLE_MODEL = STANDIN_MODEL;
    resetConfigForTests();
    const { send, view } = await newChat("offline");
    const question = "Un titre pour cette conversation sur Lisbonne, s'il te plaît.";
    await send(question);
    await backgroundWorkDone();
    const [request] = titleRequestsOf(question);
    expect(request?.body.model).toBe(STANDIN_MODEL);
    expect((await view()).title).toBe(STANDIN_TITLE);
  });

  it("a title set at creation (REST) is the caller's and is kept", async () => {
    const owner = await createTestUser();
    const project = await createProjectRow(owner.user.id);
    const created = await collection.POST(
      new Request(
        url(""),
        post({ project_id: project.id, title: "Named by the client", chat_model: STANDIN_MODEL }, owner.headers),
      ),
    );
    const { id } = (await created.json()) as { id: string };
    expect(await storedSession(id)).toMatchObject({ title: "Named by the client", titleSetByUser: true });
  });
});
