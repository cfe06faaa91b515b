import { expect, test } from "@playwright/test";
import { createChatViaApi, registerViaApi } from "./support/api-user";
import { canSeed, closeSql, seedLongChat, seedMessages, seedProject, seedSession, signIn } from "./support/chat-fixtures";
import { measureFirstLoadJs } from "./support/first-load";

/**
 * Figures for `npm run audit:ui` (scripts/audit-ui.mjs), which runs this with the accessibility spec and writes
 * docs/audit-ui.md from the annotations. Skipped in the ordinary e2e run: the budgets themselves are asserted
 * where they belong (chat-math.spec.ts checks the first-load JS budget).
 */
test.skip(!process.env.AUDIT_UI, "run by npm run audit:ui");

test.afterAll(async () => {
  await closeSql();
});

const record = (type: string, description: string) => test.info().annotations.push({ type: `audit ${type}`, description });

test("chat page first-load JS: an empty chat, and a chat whose reply has a code block", async ({
  page,
  request,
  context,
  baseURL,
  browser,
}) => {
  const user = await registerViaApi(request, context, baseURL!);
  const { projectId, sessionId } = await createChatViaApi(request, user, { project_name: "Audit" });
  const empty = await measureFirstLoadJs(page, `/projects/${projectId}/chats/${sessionId}`);
  record("first-load-js", JSON.stringify(empty));

  // The same page once a reply needs the Markdown renderer and the highlighter: what every chat page shipped before.
  test.skip(!canSeed, "needs E2E_DATABASE_URL to seed the reply");
  // A fresh browser context: an empty cache, as on a first visit (cached scripts would count as 0 bytes).
  const fresh = await browser.newContext({ baseURL });
  const seeded = await signIn(fresh, baseURL!);
  const seededProject = await seedProject(seeded.id);
  const withCode = await seedSession(seeded.id, seededProject, { title: "Code" });
  const reply = "Here:\n\n```js\nconsole.log(1)\n```";
  await seedMessages(withCode, [
    { role: "user", content: "Show me code" },
    { role: "assistant", content: reply, parts: [{ type: "text", text: reply }] },
  ]);
  const freshPage = await fresh.newPage();
  const code = await measureFirstLoadJs(freshPage, `/projects/${seededProject}/chats/${withCode}`);
  await expect(freshPage.locator("[data-streamdown='code-block'] span[style*='--sdm-c']").first()).toBeAttached();
  record("first-load-js-code", JSON.stringify(code));
  await fresh.close();
});

test("DOM nodes of a 2,000-message chat scrolled to the top", async ({ page, context, baseURL }) => {
  test.skip(!canSeed, "needs E2E_DATABASE_URL to seed the chat");
  test.setTimeout(300_000);
  const user = await signIn(context, baseURL!);
  const projectId = await seedProject(user.id);
  const sessionId = await seedSession(user.id, projectId, { title: "Long chat" });
  await seedLongChat(sessionId, 2000);
  await page.goto(`/projects/${projectId}/chats/${sessionId}`);
  const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
  await expect(items.last()).toContainText("Message 2000");
  const scroller = page.getByTestId("message-scroller");
  // Each scroll to the top loads the next older page, until all 2,000 are in the list.
  while ((await items.count()) < 2000) {
    const before = await items.count();
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => items.count()).toBeGreaterThan(before);
  }
  await expect(items.first().getByText("Message 1", { exact: true })).toBeVisible();
  const nodes = await page.evaluate(() => document.getElementsByTagName("*").length);
  record("dom-nodes-2000", JSON.stringify({ messages: await items.count(), nodes }));
});
