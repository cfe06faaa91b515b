import { afterEach, describe, expect, it, vi } from "vitest";
import { archiveChatAction, loadMoreChatsAction, pinChatAction } from "@/lib/chats/actions";
import { createChat } from "@/lib/chats/service";
import { appendMessage } from "@/lib/db/queries/messages";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { cookieJar } from "@/tests/support/next-cookies";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as collection from "@/app/api/v1/sessions/route";
import * as item from "@/app/api/v1/sessions/[id]/route";
import { createProjectRow, storedSession } from "@/tests/support/chat-fixtures";
import { createTestUser } from "@/tests/support/auth";

/** Pin and archive: PATCH /api/v1/sessions/{id} {pinned, archived}, the list filters, and the sidebar's actions. */

afterEach(() => cookieJar.clear());

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const url = (path: string) => `http://localhost/api/v1/sessions${path}`;

interface View {
  id: string;
  title: string;
  pinned: boolean;
  archived: boolean;
}

async function scene(count: number) {
  const owner = await createTestUser();
  const project = await createProjectRow(owner.user.id);
  const ids: string[] = [];
  // Created oldest first; a message each gives them distinct activity times on both databases.
  for (let i = 0; i < count; i++) {
    const chat = await createChat(owner.user.id, { projectId: project.id, title: `Chat ${i}`, model: "offline" });
    await appendMessage(owner.user.id, chat.id, { role: "user", content: `message ${i}` });
    ids.push(chat.id);
  }
  const patch = async (id: string, body: unknown, headers = owner.headers) =>
    item.PATCH(
      new Request(url(`/${id}`), {
        method: "PATCH",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      }),
      params(id),
    );
  const list = async (query = "", headers = owner.headers) => {
    const response = await collection.GET(new Request(url(`?project_id=${project.id}${query}`), { headers }));
    expect(response.status).toBe(200);
    return { items: (await response.json()) as View[], next: response.headers.get("x-next-cursor") ?? undefined };
  };
  /** Every page of a list, following the cursor. */
  const all = async (query: string) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(`${query}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((s) => s.title));
      cursor = page.next;
    } while (cursor);
    return seen;
  };
  return { owner, project, ids, patch, list, all };
}

describe("pin and archive (REST)", () => {
  it("PATCH pinned/archived: the view says so, lists filter by them, pages stay keyset-correct", async () => {
    const { owner, ids, patch, list, all } = await scene(5);
    // Most recent first: Chat 4 … Chat 0.
    expect((await list()).items.map((s) => s.title)).toEqual(["Chat 4", "Chat 3", "Chat 2", "Chat 1", "Chat 0"]);
    expect((await list()).items.every((s) => !s.pinned && !s.archived)).toBe(true);

    const pinned = await patch(ids[1]!, { pinned: true });
    expect(pinned.status).toBe(200);
    expect(await pinned.json()).toMatchObject({ id: ids[1], pinned: true, archived: false, title: "Chat 1" });
    const archived = await patch(ids[3]!, { archived: true });
    expect(await archived.json()).toMatchObject({ id: ids[3], pinned: false, archived: true });

    // Default: archived ones left out, pinned ones in their place by activity (flagged).
    expect((await list()).items.map((s) => [s.title, s.pinned])).toEqual([
      ["Chat 4", false],
      ["Chat 2", false],
      ["Chat 1", true],
      ["Chat 0", false],
    ]);
    expect((await list("&pinned=true")).items.map((s) => s.title)).toEqual(["Chat 1"]);
    expect((await list("&archived=true")).items.map((s) => s.title)).toEqual(["Chat 3"]);
    // Page by page (limit 1), each filter visits exactly its rows, once, in order.
    expect(await all("&pinned=false")).toEqual(["Chat 4", "Chat 2", "Chat 0"]);
    expect(await all("&archived=false")).toEqual(["Chat 4", "Chat 2", "Chat 1", "Chat 0"]);
    expect(await all("&archived=true")).toEqual(["Chat 3"]);

    // An archived chat is still readable by id, and comes back when restored.
    const got = await item.GET(new Request(url(`/${ids[3]}`), { headers: owner.headers }), params(ids[3]!));
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ title: "Chat 3", archived: true, pinned: false });
    const restored = await patch(ids[3]!, { archived: false, pinned: true });
    expect(await restored.json()).toMatchObject({ archived: false, pinned: true });
    expect((await list("&pinned=true")).items.map((s) => s.title)).toEqual(["Chat 3", "Chat 1"]);
    const unpinned = await patch(ids[1]!, { pinned: false });
    expect(await unpinned.json()).toMatchObject({ pinned: false });
    expect((await list("&pinned=true")).items.map((s) => s.title)).toEqual(["Chat 3"]);
  });

  it("pinning twice keeps the first pin time; archiving changes no activity order", async () => {
    const { ids, patch } = await scene(2);
    await patch(ids[0]!, { pinned: true });
    const first = (await storedSession(ids[0]!))?.pinnedAt;
    expect(first).toBeInstanceOf(Date);
    await patch(ids[0]!, { pinned: true });
    expect((await storedSession(ids[0]!))?.pinnedAt).toEqual(first);
    const before = (await storedSession(ids[1]!))?.lastActivityAt;
    await patch(ids[1]!, { archived: true });
    expect((await storedSession(ids[1]!))?.lastActivityAt).toEqual(before);
  });

  it("PATCH title marks it the user's; bad bodies and queries are 422", async () => {
    const { owner, project, ids, patch, list } = await scene(1);
    expect(await storedSession(ids[0]!)).toMatchObject({ titleSetByUser: true }); // given at creation
    const plain = await createChat(owner.user.id, { projectId: project.id, model: "offline" });
    expect(await storedSession(plain.id)).toMatchObject({ titleSetByUser: false });
    const renamed = await item.PATCH(
      new Request(url(`/${plain.id}`), {
        method: "PATCH",
        headers: { "content-type": "application/json", ...owner.headers },
        body: JSON.stringify({ title: "Hand-made" }),
      }),
      params(plain.id),
    );
    expect(renamed.status).toBe(200);
    expect(await storedSession(plain.id)).toMatchObject({ title: "Hand-made", titleSetByUser: true });

    for (const body of [{}, { pinned: "yes" }, { archived: 1 }, { pinned: null }]) {
      expect((await patch(ids[0]!, body)).status, JSON.stringify(body)).toBe(422);
    }
    for (const query of ["&archived=yes", "&pinned=1", "&archived="]) {
      const response = await collection.GET(new Request(url(`?project_id=${project.id}${query}`), { headers: owner.headers }));
      expect(response.status, query).toBe(422);
    }
    expect((await list()).items).toHaveLength(2);
  });

  it("another user: PATCH pinned/archived is a 404 and changes nothing; their lists never show the owner's", async () => {
    const { ids, patch, project } = await scene(2);
    await patch(ids[0]!, { archived: true });
    const before = await storedSession(ids[1]!);
    const stranger = await createTestUser();
    for (const body of [{ pinned: true }, { archived: true }, { archived: false, pinned: false }]) {
      const response = await patch(ids[1]!, body, stranger.headers);
      expect(response.status).toBe(404);
      expect((await response.json()).code).toBe("not_found:session");
    }
    expect((await patch(ids[0]!, { archived: false }, stranger.headers)).status).toBe(404);
    expect(await storedSession(ids[1]!)).toEqual(before);
    expect((await storedSession(ids[0]!))?.archivedAt).toBeInstanceOf(Date);
    for (const query of ["?archived=true", "?pinned=true", `?project_id=${project.id}&archived=true`]) {
      const response = await collection.GET(new Request(url(query), { headers: stranger.headers }));
      expect(await response.json(), query).toEqual([]);
    }
  });
});

describe("pin and archive (the sidebar's actions)", () => {
  it("pin, archive and the Archived view's list; another user's chat reads as missing", async () => {
    const { owner, project, ids } = await scene(3);
    cookieJar.set(ACCESS_COOKIE, owner.token);
    expect(await pinChatAction(ids[0]!, true)).toEqual({ ok: true, data: { pinned: true } });
    expect(await archiveChatAction(ids[1]!, true)).toEqual({ ok: true, data: { archived: true } });
    const archivedView = await loadMoreChatsAction(project.id, undefined, "archived");
    expect(archivedView.ok && archivedView.data.sessions.map((s) => s.id)).toEqual([ids[1]]);
    // The main list's later pages hold neither pinned nor archived chats.
    expect(await loadMoreChatsAction(project.id, undefined)).toMatchObject({ ok: false });
    expect(await archiveChatAction(ids[1]!, false)).toEqual({ ok: true, data: { archived: false } });
    expect(await pinChatAction(ids[0]!, "yes" as unknown as boolean)).toMatchObject({ ok: false });

    const stranger = await createTestUser();
    cookieJar.set(ACCESS_COOKIE, stranger.token);
    expect(await pinChatAction(ids[2]!, true)).toEqual({ ok: false, error: "This chat no longer exists or is not yours." });
    expect(await archiveChatAction(ids[2]!, true)).toEqual({ ok: false, error: "This chat no longer exists or is not yours." });
    const theirs = await loadMoreChatsAction(project.id, undefined, "archived");
    expect(theirs.ok && theirs.data.sessions).toEqual([]);
    expect(await storedSession(ids[2]!)).toMatchObject({ pinnedAt: null, archivedAt: null });
  });
});
