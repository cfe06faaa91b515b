import { expect, test, type Locator, type Page } from "@playwright/test";
import { canSeed, closeSql, seedLongChat, seedProject, seedSession, signIn, sql, type TestUser } from "./support/chat-fixtures";
import { FIRST_LOAD_BUDGET, measureFirstLoadJs } from "./support/first-load";

/**
 * The windowed message list (#16): a long chat keeps few rows in the DOM, yet every message can be reached, older
 * pages go in above without moving what the reader sees, a streaming reply keeps the view at the bottom, and a
 * search result far up a long chat is shown. Needs the Postgres mode (E2E_DATABASE_URL) to seed.
 */

test.afterAll(async () => {
  await closeSql();
});

/** The ceiling for a 2,000-message chat scrolled to the top. */
const MAX_DOM_NODES = 3000;

const log = (page: Page) => page.getByRole("log", { name: "Messages" });
const list = (page: Page) => log(page).locator("> ol");
const scroller = (page: Page) => page.getByTestId("message-scroller");

/** How far the element's top is below the scroller's top, in CSS pixels. */
async function offsetInView(page: Page, item: Locator): Promise<number> {
  const [box, view] = await Promise.all([item.boundingBox(), scroller(page).boundingBox()]);
  if (!box || !view) throw new Error("not laid out");
  return box.y - view.y;
}

test.describe("windowed message list", () => {
  test.skip(!canSeed, "needs E2E_DATABASE_URL (the Postgres mode of tests/e2e/server.mjs) to seed data");

  let user: TestUser;
  test.beforeEach(async ({ context, baseURL }) => {
    user = await signIn(context, baseURL!);
  });

  test("a 2,000-message chat scrolled to the top stays under 3,000 DOM nodes and shows its first message", async ({ page }) => {
    test.setTimeout(180_000);
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Long chat" });
    await seedLongChat(sessionId, 2000);
    await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    await expect(log(page).getByText("Message 2000", { exact: true })).toBeInViewport();
    // Windowed from the start: the 50 loaded messages are not all in the DOM.
    await expect(list(page)).toHaveAttribute("data-loaded", "50");
    await expect.poll(() => list(page).locator("> li").count()).toBeLessThan(50);

    // Each scroll to the top loads the next older page, until the start of the chat.
    const start = page.getByText("Start of the chat");
    while (!(await start.isVisible())) {
      const loaded = Number(await list(page).getAttribute("data-loaded"));
      // The wheel, as a reader scrolls: a scroll without a gesture just after the content changed is taken as the
      // page's own adjustment while the list sticks to the bottom (use-chat-scroll.ts).
      const area = (await scroller(page).boundingBox())!;
      await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
      await page.mouse.wheel(0, -100_000);
      await expect
        .poll(async () => (await start.isVisible()) || Number(await list(page).getAttribute("data-loaded")) > loaded)
        .toBe(true);
    }
    await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(list(page)).toHaveAttribute("data-loaded", "2000");
    await expect(log(page).getByText("Message 1", { exact: true })).toBeInViewport();
    const nodes = await page.evaluate(() => document.getElementsByTagName("*").length);
    expect(nodes).toBeLessThanOrEqual(MAX_DOM_NODES);
    // Screen readers hear the list's whole size, not the rendered rows'.
    await expect(list(page).locator("> li").first()).toHaveAttribute("aria-setsize", "2000");
    await expect(list(page).locator("> li").first()).toHaveAttribute("aria-posinset", "1");

    // The newest message is reachable again, and the top rows have left the DOM.
    await page.getByRole("button", { name: "Jump to latest" }).click();
    await expect(log(page).getByText("Message 2000", { exact: true })).toBeInViewport();
    await expect(log(page).getByText("Message 1", { exact: true })).toHaveCount(0);
  });

  test("a long chat opens at its newest message, within the JS budget, and its rows come back rendered", async ({
    page,
    browser,
    baseURL,
  }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Light" });
    await seedLongChat(sessionId, 300);
    const url = `/projects/${projectId}/chats/${sessionId}`;

    // Before any script runs (a slow phone), the page already shows the newest messages, not the oldest loaded.
    const noScript = await browser.newContext({
      baseURL,
      javaScriptEnabled: false,
      storageState: await page.context().storageState(),
    });
    const bare = await noScript.newPage();
    await bare.goto(url);
    await expect(log(bare).getByText("Message 300", { exact: true })).toBeInViewport();
    await expect(log(bare).getByText("Message 251", { exact: true })).not.toBeInViewport();
    await noScript.close();

    // The stored replies keep the server's HTML: the Markdown renderer is not part of the first load (#16).
    const firstLoad = await measureFirstLoadJs(page, url, () =>
      expect(list(page).locator("> li[data-index]").first()).toBeAttached(),
    );
    expect(firstLoad.total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
    const reply = log(page).locator("li[data-role='assistant'] .chat-markdown p", { hasText: /^Message 300$/ });
    await expect(reply).toBeInViewport();

    // Up and out of the window, then back: the row is rendered again from the server's nodes, with no script fetched.
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    const area = (await scroller(page).boundingBox())!;
    await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
    await page.mouse.wheel(0, -1500);
    await expect(log(page).getByText("Message 300", { exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "Jump to latest" }).click();
    await expect(reply).toBeInViewport();
    expect(scripts).toEqual([]);
  });

  test("loading an older page keeps the message at the top of the view in place", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Anchored" });
    await seedLongChat(sessionId, 300);
    await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    const newestFirst = log(page).getByText("Message 251", { exact: true });
    await expect(log(page).getByText("Message 300", { exact: true })).toBeInViewport();

    // Up to the first loaded message with the wheel, as a reader does (a scroll without a gesture right after the
    // content changed is taken as the page's own, use-chat-scroll.ts); the next page arrives while it is in view.
    const area = (await scroller(page).boundingBox())!;
    await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
    await page.mouse.wheel(0, -100_000);
    await expect(newestFirst).toBeInViewport();
    const before = await offsetInView(page, newestFirst);
    await expect(list(page)).toHaveAttribute("data-loaded", "100");
    await expect(newestFirst).toBeInViewport();
    await expect.poll(() => offsetInView(page, newestFirst)).toBeCloseTo(before, 0);
    // The new page is above it, within reach.
    await scroller(page).evaluate((el) => el.scrollBy({ top: -300 }));
    await expect(log(page).getByText("Message 250", { exact: true })).toBeInViewport();
  });

  test("a streaming reply at the end of a long chat keeps the view at the bottom", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Streaming" });
    await seedLongChat(sessionId, 200);
    await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    await expect(log(page).getByText("Message 200", { exact: true })).toBeInViewport();

    // The farthest the view is from the bottom at any frame while the reply streams.
    await scroller(page).evaluate((el) => {
      const w = window as unknown as { farthest: number; watching: boolean };
      w.farthest = 0;
      w.watching = true;
      const sample = () => {
        w.farthest = Math.max(w.farthest, el.scrollHeight - el.clientHeight - el.scrollTop);
        if (w.watching) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    });
    await page.getByRole("textbox", { name: "Message", exact: true }).fill("Tell me about windowing");
    await page.keyboard.press("Enter");
    const reply = log(page).locator("li[data-role='assistant']").last();
    await expect(reply).toContainText("You said: “Tell me about windowing”");
    await expect(reply).toHaveAttribute("data-status", "complete");
    const farthest = await page.evaluate(() => {
      const w = window as unknown as { farthest: number; watching: boolean };
      w.watching = false;
      return w.farthest;
    });
    // A frame may see new text laid out before the scroll follows it (one chunk); a reader left behind would be a
    // screen or more away.
    expect(farthest).toBeLessThan(200);
    await expect(reply.getByText(/To talk to a real model/)).toBeInViewport();
    await expect(page.getByRole("button", { name: "Jump to latest" })).toBeHidden();
  });

  test("the keyboard walks up the messages past the rendered rows", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "By keyboard" });
    await seedLongChat(sessionId, 300);
    await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    await expect(log(page).getByText("Message 300", { exact: true })).toBeInViewport();
    await expect.poll(() => list(page).locator("> li").count()).toBeLessThan(50);
    // The walk's goal: 35 messages up, above every row rendered when it begins.
    const messageOf = async (row: Locator) => Number(/Message (\d+)/.exec(await row.innerText())?.[1]);
    const goal = 265;
    expect(await messageOf(list(page).locator("> li[data-message-id]").first())).toBeGreaterThan(goal);
    await log(page).getByRole("button", { name: "Copy message" }).last().focus();
    // A message has one to three controls (Copy; Edit on the user's; the last reply's Regenerate): Shift+Tab until
    // the goal's row is focused, never down the list and never out of it, rather than a fixed number of steps.
    const focusedRow = page.locator("[role=log] li:has(:focus)");
    let reached = 300;
    for (let steps = 0; reached > goal; steps++) {
      expect(steps, "Shift+Tab steps").toBeLessThan(3 * (300 - goal));
      await page.keyboard.press("Shift+Tab");
      await expect(page.locator("[role=log] li :focus")).toHaveCount(1);
      const now = await messageOf(focusedRow);
      expect(now).toBeLessThanOrEqual(reached);
      reached = now;
    }
    expect(reached).toBe(goal);
    await expect(page.locator("[role=log] li:has(:focus)")).toBeInViewport();
  });

  test("a search result far up a long chat opens scrolled to it and marked", async ({ page }) => {
    const projectId = await seedProject(user.id);
    const sessionId = await seedSession(user.id, projectId, { title: "Far back" });
    await seedLongChat(sessionId, 2000);
    // 900 messages before the newest: the page reaches back to it (lib/db/queries/messages.ts THROUGH_MAX).
    const [{ id }] = await sql()`select id from parley.messages where session_id = ${sessionId} and seq = 1100`;
    await page.goto(`/projects/${projectId}/chats/${sessionId}?m=${id}`);
    const found = log(page).locator(`[data-message-id="${id}"]`);
    await expect(found).toBeInViewport();
    await expect(found).toContainText("Message 1100");
    await expect(found).toHaveAttribute("data-found", "true");
    expect(Number(await list(page).getAttribute("data-loaded"))).toBeGreaterThan(900);
    // The server renders the whole page through the result (hydration must match it); the window takes over once the
    // rows are measured after hydration, which on a loaded machine comes after the result is already in view.
    await expect.poll(() => page.evaluate(() => document.getElementsByTagName("*").length)).toBeLessThanOrEqual(MAX_DOM_NODES);
    await expect(found).not.toHaveAttribute("data-found");
    await expect(found).toBeInViewport();
  });
});
