import { describe, expect, it, vi } from "vitest";
import { ChatRoute } from "@/components/chat/chat-route";
import { CHAT_ID_HEADER, type ChatUIMessage } from "@/lib/chat/ui/ui-contract";

/** #14: where the chat screen's sends go, for a stored chat and for a new chat its first message creates. */
const message: ChatUIMessage = { id: "m1", role: "user", parts: [{ type: "text", text: "hi" }] };
const PROJECT = "7d1c1b9e-2f0a-4a57-9d55-2c9a4f0f2b11";
const CHAT = "0b9f3a52-4c1e-8d2a-9b7f-1e2d3c4b5a69";
const answer = (status: number, chatId?: string) =>
  new Response(null, { status, headers: chatId ? { [CHAT_ID_HEADER]: chatId } : {} });

describe("ChatRoute", () => {
  it("a stored chat: its id and the trigger as given", () => {
    const route = new ChatRoute(CHAT);
    expect(route.body(message, "regenerate-message")).toEqual({ sessionId: CHAT, message, trigger: "regenerate-message" });
  });

  it("a new chat: one client name for every attempt of its first message, the model as picked when it leaves", () => {
    const route = new ChatRoute(null);
    let model = "offline";
    const onCreated = vi.fn();
    route.createIn({ projectId: PROJECT, model: () => model, onCreated });
    const first = route.body(message, "submit-message") as { newChat: { id: string; projectId: string; model: string } };
    expect(first.newChat).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      projectId: PROJECT,
      model: "offline",
    });
    expect(first).not.toHaveProperty("sessionId");

    // Refused (nothing stored): the next attempt names the same chat; Retry is a send again, not a regenerate.
    route.answered(answer(429));
    model = "other/model";
    const retry = route.body(message, "regenerate-message") as { newChat: { id: string; model: string }; trigger: string };
    expect(retry.newChat.id).toBe(first.newChat.id);
    expect(retry.newChat.model).toBe("other/model");
    expect(retry.trigger).toBe("submit-message");
    expect(onCreated).not.toHaveBeenCalled();

    // Accepted: the server's id from now on, announced once.
    route.answered(answer(200, CHAT));
    route.answered(answer(200, "11111111-1111-4111-8111-111111111111"));
    expect(onCreated).toHaveBeenCalledTimes(1);
    expect(onCreated).toHaveBeenCalledWith(CHAT);
    expect(route.id).toBe(CHAT);
    expect(route.body(message, "submit-message")).toEqual({ sessionId: CHAT, message, trigger: "submit-message" });
  });

  it("another screen's new chat gets another name", () => {
    const target = { projectId: PROJECT, model: () => "offline", onCreated: () => {} };
    const a = new ChatRoute(null);
    const b = new ChatRoute(null);
    a.createIn(target);
    b.createIn(target);
    const idOf = (r: ChatRoute) => (r.body(message, "submit-message") as { newChat: { id: string } }).newChat.id;
    expect(idOf(a)).not.toBe(idOf(b));
  });
});
