import { expect, test, type Page } from "@playwright/test";
import {
  canSeed,
  closeSql,
  readMessageRoles,
  readSession,
  readSessionIds,
  readSystemPrompt,
  seedLongChat,
  seedMessages,
  seedProject,
  seedSession,
  setMemoryState,
  signIn,
  type TestUser,
} from "./support/chat-fixtures";
import { mintAccessToken } from "./support/session";

/**
 * The chat screen in Chromium. Two parts:
 *  1. Screen tests on seeded data (run now): they need the Postgres mode of the e2e server, so run with
 *     E2E_DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_e2e_<port>; without it they are skipped.
 *  2. THE FULL JOURNEY (project → new chat → streamed reply with markdown → Stop → Regenerate → rename → reload →
 *     delete) with the offline model (the same journey against the OpenRouter stand-in is chat-openrouter.spec.ts).
 */

test.afterAll(async () => {
  await closeSql();
});

async function openChat(page: Page, projectId: string, sessionId: string) {
  await page.goto(`/projects/${projectId}/chats/${sessionId}`);
  await expect(page.getByRole("main")).toBeVisible();
}

test.describe("chat screen on seeded data", () => {
  test.skip(!canSeed, "needs E2E_DATABASE_URL (the Postgres mode of tests/e2e/server.mjs) to seed data");

  let user: TestUser;
  test.beforeEach(async ({ context, baseURL }) => {
    user = await signIn(context, baseURL!);
  });

  test("renders the stored history: roles, markdown, reasoning, states, badges, offline notice", async ({ page }) => {
    const projectId = await seedProject(user.id, { name: "Research" });
    const older = await seedSession(user.id, projectId, { title: "Older chat", lastActivityAt: new Date(Date.now() - 60_000) });
    const sessionId = await seedSession(user.id, projectId, { title: "Markdown chat" });
    await seedMessages(sessionId, [
      { role: "user", content: "Show me code" },
      {
        role: "assistant",
        content: "Here is **bold** and code:\n\n```js\nconsole.log(1)\n```",
        parts: [
          { type: "reasoning", text: "The user wants a snippet." },
          { type: "text", text: "Here is **bold** and code:\n\n```js\nconsole.log(1)\n```" },
        ],
      },
      { role: "user", content: "Go on" },
      { role: "assistant", content: "Partial ans", status: "incomplete" },
      { role: "user", content: "Again" },
      { role: "assistant", content: "", parts: [], status: "error" },
    ]);

    await openChat(page, projectId, sessionId);
    await expect(page.getByRole("heading", { level: 1, name: "Markdown chat" })).toBeVisible();

    const log = page.getByRole("log", { name: "Messages" });
    const items = log.locator("> ol > li");
    await expect(items).toHaveCount(6);
    await expect(items.nth(0)).toHaveAttribute("data-role", "user");
    await expect(items.nth(1)).toHaveAttribute("data-role", "assistant");
    // User messages sit on the right, replies on the left.
    const userBox = await items.nth(0).locator("div").first().boundingBox();
    const replyBox = await items.nth(1).locator("div").first().boundingBox();
    expect(userBox!.x).toBeGreaterThan(replyBox!.x);

    const reply = items.nth(1);
    await expect(reply.locator("[data-streamdown='strong']", { hasText: "bold" })).toBeVisible();
    await expect(reply.locator("[data-streamdown='code-block']")).toContainText("console.log(1)");
    // The highlighter, loaded for this reply's code block only (#16), colours its tokens.
    await expect(reply.locator("[data-streamdown='code-block'] span[style*='--sdm-c']").first()).toBeAttached();
    // Copy beside the user's bubble, not under it: no empty line before the reply on a wide screen (#16).
    const userItem = await items.nth(0).boundingBox();
    const bubble = await items.nth(0).getByText("Show me code").boundingBox();
    expect(userItem!.height - bubble!.height).toBeLessThan(2);
    await expect(items.nth(0).getByRole("button", { name: "Copy message" })).toBeAttached();
    // Reasoning is collapsed and opens on demand.
    const reasoning = reply.locator("details");
    await expect(reasoning).not.toHaveAttribute("open", "");
    await reasoning.locator("summary").click();
    await expect(reasoning).toContainText("The user wants a snippet.");
    await expect(reply.getByTestId("model-badge")).toHaveText("Offline (no API key)");

    await expect(items.nth(3)).toContainText("Stopped");
    await expect(items.nth(5).getByRole("alert")).toBeVisible();
    // The last reply failed: Retry is offered on it.
    await expect(items.nth(5).getByRole("button", { name: "Retry" })).toBeVisible();

    await expect(page.getByRole("complementary", { name: "Offline model" })).toContainText("OPENROUTER_API_KEY");

    const nav = page.getByRole("navigation", { name: "Chats" });
    const links = nav.getByRole("list", { name: /^Chats in / }).getByRole("link");
    await expect(links).toHaveText(["Markdown chat", "Older chat"]);
    await expect(nav.getByRole("link", { name: "Markdown chat" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "All projects" })).toHaveAttribute("href", "/");

    await nav.getByRole("link", { name: "Older chat" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${older}$`));
    await expect(page.getByRole("heading", { level: 1, name: "Older chat" })).toBeVisible();
    await expect(page.getByRole("log", { name: "Messages" }).locator("> ol > li")).toHaveCount(0);
  });

  test("another user's chat and malformed ids are 404", async ({ page }) => {
    const stranger = await mintAccessToken("Stranger");
    const projectId = await seedProject(stranger.id);
    const sessionId = await seedSession(stranger.id, projectId, { title: "Secret" });
    const response = await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("Secret")).toHaveCount(0);
    expect((await page.goto(`/projects/not-a-uuid/chats/also-not`))?.status()).toBe(404);
  });

  test("rename inline: Enter saves, Escape cancels", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Draft title" });
    await openChat(page, projectId, sessionId);
    const nav = page.getByRole("navigation", { name: "Chats" });

    await nav.getByRole("button", { name: "Rename chat Draft title" }).click();
    const field = nav.getByRole("textbox", { name: "Chat title" });
    await expect(field).toBeFocused();
    await field.fill("Never saved");
    await field.press("Escape");
    await expect(nav.getByRole("link", { name: "Draft title" })).toBeVisible();
    expect((await readSession(sessionId))?.title).toBe("Draft title");

    await nav.getByRole("button", { name: "Rename chat Draft title" }).click();
    await field.fill("Trip planning");
    await field.press("Enter");
    await expect(nav.getByRole("link", { name: "Trip planning" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Trip planning" })).toBeVisible();
    await expect.poll(async () => (await readSession(sessionId))?.title).toBe("Trip planning");
    await page.reload();
    await expect(page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Trip planning" })).toBeVisible();
  });

  test("delete asks first, then removes the chat and opens another", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const keep = await seedSession(user.id, projectId, { title: "Keep me", lastActivityAt: new Date(Date.now() - 60_000) });
    const doomed = await seedSession(user.id, projectId, { title: "Delete me" });
    await seedMessages(doomed, [{ role: "user", content: "bye" }]);
    await openChat(page, projectId, doomed);
    const nav = page.getByRole("navigation", { name: "Chats" });

    await nav.getByRole("button", { name: "Delete chat Delete me" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this chat?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(await readSession(doomed)).toBeDefined();

    await nav.getByRole("button", { name: "Delete chat Delete me" }).click();
    await dialog.getByRole("button", { name: "Delete chat" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${keep}$`));
    await expect(page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Delete me" })).toHaveCount(0);
    expect(await readSession(doomed)).toBeUndefined();
  });

  test("New chat opens an empty composer and stores nothing until the first message (#14)", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const first = await seedSession(user.id, projectId, { title: "First" });
    await openChat(page, projectId, first);
    const nav = page.getByRole("navigation", { name: "Chats" });
    for (let i = 0; i < 5; i++) {
      await nav.getByRole("link", { name: "New chat", exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/chats/new$`));
    }
    await expect(page.getByRole("heading", { level: 1, name: "New Chat" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "First" })).not.toHaveAttribute("aria-current", "page");
    expect(await readSessionIds(projectId)).toEqual([first]);

    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Start this one");
    await box.press("Enter");
    await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
    const newId = /\/chats\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    expect(await readSession(newId!)).toEqual({ title: "New Chat", model: "offline" });
    await expect(nav.locator(`a[href$="/chats/${newId}"]`)).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("log", { name: "Messages" }).locator("> ol > li").nth(1)).toHaveAttribute(
      "data-status",
      "complete",
      {
        timeout: 30_000,
      },
    );
    expect((await readSessionIds(projectId)).sort()).toEqual([first, newId].sort());
  });

  test("model picker groups models by provider and shows the session's model", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { model: "offline" });
    await openChat(page, projectId, sessionId);
    const picker = page.getByRole("combobox", { name: "Model" });
    await expect(picker).toHaveValue("offline");
    // Each option shows the context size and the price (the offline model costs nothing).
    await expect(picker.locator("optgroup[label='Offline'] option")).toHaveText(["Offline (no API key) · 33K context · free"]);
    // Every unavailable model is disabled and says why.
    for (const option of await picker.locator("option[disabled]").all()) await expect(option).toContainText("—");
  });

  test("system prompt dialog: counts characters, saves to the project", async ({ page }) => {
    const projectId = await seedProject(user.id, { systemPrompt: "Be brief." });
    const sessionId = await seedSession(user.id, projectId);
    await openChat(page, projectId, sessionId);
    await page.getByRole("button", { name: "System prompt" }).click();
    const dialog = page.getByRole("dialog", { name: "Project system prompt" });
    const box = dialog.getByRole("textbox", { name: "System prompt" });
    await expect(box).toHaveValue("Be brief.");
    await expect(dialog.getByText("9 / 20,000")).toBeVisible();
    await box.fill("Answer like a pirate.");
    await expect(dialog.getByText("21 / 20,000")).toBeVisible();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(() => readSystemPrompt(projectId)).toBe("Answer like a pirate.");
    await page.getByRole("button", { name: "System prompt" }).click();
    await expect(page.getByRole("dialog", { name: "Project system prompt" }).getByRole("textbox")).toHaveValue(
      "Answer like a pirate.",
    );
  });

  test("drafts are kept per chat", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const a = await seedSession(user.id, projectId, { title: "Chat A" });
    const b = await seedSession(user.id, projectId, { title: "Chat B" });
    await openChat(page, projectId, a);
    await page.getByRole("textbox", { name: "Message" }).fill("half-written thought");
    await page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Chat B" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${b}$`));
    await expect(page.getByRole("textbox", { name: "Message" })).toHaveValue("");
    await page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Chat A" }).click();
    await expect(page.getByRole("textbox", { name: "Message" })).toHaveValue("half-written thought");
    await page.reload();
    await expect(page.getByRole("textbox", { name: "Message" })).toHaveValue("half-written thought");
  });

  test("a 2,000-message chat opens on the newest page and loads older pages on scroll, keeping the place", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Long chat" });
    await seedLongChat(sessionId, 2000);
    await openChat(page, projectId, sessionId);
    const log = page.getByRole("log", { name: "Messages" });
    // The list is windowed (chat-virtual.spec.ts): data-loaded counts the loaded messages, not the rendered rows.
    const list = log.locator("> ol");
    await expect(list).toHaveAttribute("data-loaded", "50");
    const last = log.getByText("Message 2000", { exact: true });
    // Opened at the bottom.
    await expect(last).toBeInViewport();

    const anchor = page.getByText("Message 1951", { exact: true });
    await page.getByTestId("message-scroller").evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(list).toHaveAttribute("data-loaded", "100");
    // The message that was at the top is still near the top of the viewport, not pushed away.
    await expect(anchor).toBeInViewport();

    await page.getByTestId("message-scroller").evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(list).toHaveAttribute("data-loaded", "150");
    await expect(page.getByRole("button", { name: "Jump to latest" })).toBeVisible();
    await page.getByRole("button", { name: "Jump to latest" }).click();
    await expect(last).toBeInViewport();
  });

  test("memory: divider where the verbatim part begins, expandable summary, context gauge, updating note", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Remembering" });
    await seedMessages(
      sessionId,
      Array.from({ length: 6 }, (_, i) => ({
        role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
        content: `Turn ${i + 1}`,
      })),
    );
    await setMemoryState(sessionId, {
      summary: "The user likes tea.",
      throughSeq: 4,
      coveredMessages: 4,
      status: "pending",
      lastInputTokens: 1234,
    });
    await openChat(page, projectId, sessionId);
    const log = page.getByRole("log", { name: "Messages" });
    const divider = log.getByTestId("memory-divider");
    await expect(divider).toContainText("4 earlier messages summarized — view summary");
    // It sits between message 4 (covered) and message 5 (verbatim).
    const order = await log
      .locator("> ol > li")
      .evaluateAll((lis) =>
        lis.map((li) =>
          li.getAttribute("data-testid") === "memory-divider" ? "divider" : li.textContent?.match(/Turn \d/)?.[0],
        ),
      );
    expect(order).toEqual(["Turn 1", "Turn 2", "Turn 3", "Turn 4", "divider", "Turn 5", "Turn 6"]);
    await expect(divider.getByText("The user likes tea.")).toBeHidden();
    await divider.getByText("view summary").click();
    await expect(divider.getByText("The user likes tea.")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Updating memory…" })).toBeVisible();
    await expect(page.getByRole("meter", { name: "Context used by the last turn" })).toHaveAttribute("value", "1234");
    // The gauge says what it measures, in words, and explains itself on focus (keyboard) as on hover.
    const gauge = page.getByTestId("context-gauge");
    await expect(gauge).toHaveText(/^Context: 1\.2k of \d+(\.\d)?k tokens used$/);
    await expect(gauge).toHaveAccessibleDescription(
      /The last turn sent 1,234 tokens to the model, \d+% of the [\d,]+ it can read at once/,
    );
    const gaugeTip = page.getByRole("tooltip").filter({ hasText: "The last turn sent 1,234 tokens" });
    await expect(gaugeTip).toBeHidden();
    await gauge.focus();
    await expect(gaugeTip).toBeVisible();
    await gauge.press("Escape");
    await expect(gaugeTip).toBeHidden();
    await expect(gauge).toBeFocused();
    // The project's memory settings in force, in words: the platform defaults until the project sets its own.
    const settings = page.getByTestId("memory-settings");
    await expect(settings).toHaveText("Memory: summarizes after 20 messages, keeps the last 6");
    await expect(settings).toHaveAccessibleDescription(/the latest 6 messages are always sent word for word/);
    await settings.hover();
    await expect(page.getByRole("tooltip").filter({ hasText: "the latest 6 messages" })).toBeVisible();
    const patched = await page.request.patch(`/api/v1/project/${projectId}`, {
      data: { memory_threshold: 8, memory_keep_recent: 2 },
    });
    expect(patched.status()).toBe(200);
    await page.reload();
    await expect(settings).toHaveText("Memory: summarizes after 8 messages, keeps the last 2");
    expect((await page.request.patch(`/api/v1/project/${projectId}`, { data: { memory_enabled: false } })).status()).toBe(200);
    await page.reload();
    await expect(settings).toHaveText("Memory: off");
    await expect(settings).toHaveAccessibleDescription(/whole history is sent/);
  });

  test("a stored reply stays rendered while the Markdown renderer's chunk is still loading", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Rendered" });
    await seedMessages(sessionId, [
      { role: "user", content: "Say it in bold" },
      { role: "assistant", content: "This is **bold**:\n\n- one\n- two" },
    ]);
    // Once first: on a server that has not rendered a reply yet, the server render itself may still be waiting for
    // Streamdown's module (that first view is not what this test is about).
    await openChat(page, projectId, sessionId);
    // Hold the lazily loaded Streamdown chunk until the screen has settled (hydrated, the reattach on opening has
    // answered): a re-render of the reply in that time must not swap the server's HTML for the raw-Markdown fallback.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/_next/static/chunks/*.js", async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (body.includes('"data-streamdown":')) await held;
      await route.fulfill({ response, body });
    });
    // Records whether the fallback (the reply's Markdown as plain text) was ever in the DOM.
    await page.addInitScript(() => {
      const w = window as unknown as { rawMarkdownShown: boolean };
      w.rawMarkdownShown = false;
      new MutationObserver(() => {
        if (document.querySelector(".chat-markdown > p.whitespace-pre-wrap")) w.rawMarkdownShown = true;
      }).observe(document, { childList: true, subtree: true });
    });
    const resumed = page.waitForResponse((response) => new URL(response.url()).pathname === `/api/chat/${sessionId}/stream`);
    // Not waiting for "load": the held chunk, once requested, holds the load event too.
    await page.goto(`/projects/${projectId}/chats/${sessionId}`, { waitUntil: "domcontentloaded" });
    await resumed;
    await expect(page.getByRole("button", { name: "Regenerate reply" })).toBeVisible();
    release();
    const reply = page.getByRole("log", { name: "Messages" }).locator("> ol > li[data-role='assistant']");
    await expect(reply.locator("[data-streamdown='strong']")).toHaveText("bold");
    await expect(reply.getByRole("listitem")).toHaveText(["one", "two"]);
    expect(await page.evaluate(() => (window as unknown as { rawMarkdownShown: boolean }).rawMarkdownShown)).toBe(false);
    // Chunks still in flight as the page closes would fail the test from the handler.
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });

  test("small screens: the chat list is a drawer that Escape closes", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Phone chat" });
    await openChat(page, projectId, sessionId);
    const nav = page.getByRole("navigation", { name: "Chats" });
    await expect(nav).toBeHidden();
    const opener = page.getByRole("button", { name: "Open chat list" });
    await opener.click();
    await expect(nav).toBeVisible();
    await expect(opener).toHaveAttribute("aria-expanded", "true");
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();
    await expect(opener).toBeFocused();
  });
});

test.describe("full journey with the offline model", () => {
  test.skip(!canSeed, "needs E2E_DATABASE_URL to seed the project");

  test("project → new chat → streamed markdown reply → Stop → Regenerate → rename → reload → delete", async ({
    page,
    context,
    baseURL,
  }) => {
    const user = await signIn(context, baseURL!);
    const projectId = await seedProject(user.id, { name: "Journey" });
    const seedChat = await seedSession(user.id, projectId, { title: "Start here" });
    await openChat(page, projectId, seedChat);

    await page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "New chat", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "New Chat" })).toBeVisible();
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Hello **there**");
    await box.press("Enter");
    const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
    await expect(items.first()).toContainText("Hello **there**");
    const reply = items.nth(1);
    await expect(reply).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
    await expect(reply.getByTestId("model-badge")).toHaveText("Offline (no API key)");
    const firstReply = await reply.innerText();
    expect(firstReply.length).toBeGreaterThan(10);

    // Stop: send again and stop while it streams. The offline model is fast and may finish before the click
    // lands (the backend's integration tests prove Stop's persistence with a slow stand-in), so the reply ends
    // either Stopped or complete; either way the composer is ready again and the label matches the state.
    await box.fill("Tell me a long story");
    await box.press("Enter");
    await page
      .getByRole("button", { name: "Stop generating" })
      .click({ timeout: 5_000 })
      .catch(() => {});
    await expect(page.getByRole("button", { name: "Send message" })).toBeVisible();
    await expect(items.nth(3)).toHaveAttribute("data-status", /^(complete|incomplete)$/);
    if ((await items.nth(3).getAttribute("data-status")) === "incomplete") await expect(items.nth(3)).toContainText("Stopped");

    // Regenerate the last reply.
    await items.nth(3).getByRole("button", { name: "Regenerate reply" }).click();
    await expect(items.nth(3)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
    await expect(items).toHaveCount(4);

    // Rename, reload: the stored conversation is what was streamed.
    const streamed = await items.nth(3).innerText();
    const nav = page.getByRole("navigation", { name: "Chats" });
    const current = nav.locator("a[aria-current='page']");
    const title = (await current.innerText()).trim();
    await nav.getByRole("button", { name: `Rename chat ${title}` }).click();
    await nav.getByRole("textbox", { name: "Chat title" }).fill("Journey chat");
    await nav.getByRole("textbox", { name: "Chat title" }).press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "Journey chat" })).toBeVisible();
    await page.reload();
    const reloaded = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
    await expect(reloaded).toHaveCount(4);
    // The stored reply reads exactly as it streamed. Awaited, not read once: a server's very first render of a
    // reply may send the plain-text fallback while the Markdown renderer's module is still loading, which the page
    // then replaces with the rendered reply (the test of a stored reply while the chunk loads covers later views).
    await expect.poll(() => reloaded.nth(3).innerText()).toBe(streamed);

    // Delete.
    await page.getByRole("navigation", { name: "Chats" }).getByRole("button", { name: "Delete chat Journey chat" }).click();
    await page.getByRole("dialog", { name: "Delete this chat?" }).getByRole("button", { name: "Delete chat" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${seedChat}$`));
    await expect(page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Journey chat" })).toHaveCount(0);
  });

  test("switching chats while a reply streams never mixes the two chats", async ({ page, context, baseURL }) => {
    const user = await signIn(context, baseURL!);
    const projectId = await seedProject(user.id);
    const quiet = await seedSession(user.id, projectId, { title: "Quiet chat", lastActivityAt: new Date(Date.now() - 60_000) });
    const busy = await seedSession(user.id, projectId, { title: "Busy chat" });
    await openChat(page, projectId, busy);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Tell me a long story");
    await box.press("Enter");
    await page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Quiet chat" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${quiet}$`));
    const quietLog = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
    // The busy chat's reply streams to its end (it is stored once it has) while this chat is on screen: the
    // whole time it could (wrongly) land here has passed.
    await expect.poll(() => readMessageRoles(busy), { timeout: 30_000 }).toEqual(["user", "assistant"]);
    await expect(quietLog).toHaveCount(0);
    // The busy chat's reply is stored even though its tab moved on.
    await page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Busy chat" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${busy}$`));
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("log", { name: "Messages" }).locator("> ol > li")).toHaveCount(2, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByRole("log", { name: "Messages" }).locator("> ol > li").first()).toContainText("Tell me a long story");
  });
});
