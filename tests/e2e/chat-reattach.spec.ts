import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * #15 in Chromium, against the OpenRouter stand-in (tests/e2e/server.mjs --openrouter): a reply being generated
 * survives a reload and a second tab (live reattach, with Stop), and a send survives the network going away before,
 * during and after its request (the text is never lost, a retry never stores it twice, the page never navigates).
 * The stand-in holds its stream before a chosen chunk until released (its `/__standin/hold` control).
 */
const standin = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210) + 3}`;
const REPLY_END = "write down what we find";

async function hold(request: APIRequestContext, beforeChunk: number) {
  expect((await request.post(`${standin}/__standin/hold?beforeChunk=${beforeChunk}`)).status()).toBe(204);
}
const release = (request: APIRequestContext) => request.post(`${standin}/__standin/release`);

/** A fresh account and project, the browser on the project's new chat. */
async function newChat(page: Page) {
  const signup = await page.request.post("/api/v1/auth/signup", {
    data: { email: `reattach-${crypto.randomUUID()}@example.test`, password: "a long enough password", full_name: "Reattach" },
  });
  expect(signup.status()).toBe(201);
  const token = ((await signup.json()) as { token: { access_token: string } }).token.access_token;
  const created = await page.request.post("/api/v1/project", { data: { project_name: "Reattach" } });
  expect(created.status()).toBe(201);
  const project = (await created.json()) as { id: string };
  await page.goto(`/projects/${project.id}`);
  await expect(page).toHaveURL(/\/chats\/new$/);
  return { headers: { authorization: `Bearer ${token}` } };
}

const box = (page: Page) => page.getByRole("textbox", { name: "Message" });
const items = (page: Page) => page.getByRole("log", { name: "Messages" }).locator("> ol > li");

async function stored(page: Page, headers: Record<string, string>) {
  const chatId = /\/chats\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
  expect(chatId).toBeTruthy();
  // The page shows a reply complete as its last part arrives; the server stores it, then releases the chat's
  // generation. Read the history once nothing is being generated, so the reply is there if it ever will be.
  await expect
    .poll(async () => {
      const session = await page.request.get(`/api/v1/sessions/${chatId}`, { headers });
      return ((await session.json()) as { generating?: boolean }).generating;
    })
    .toBe(false);
  const response = await page.request.get(`/api/v1/sessions/${chatId}/history`, { headers });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { messages?: { role: string; content: string; status: string }[] };
  return body.messages ?? (body as unknown as { role: string; content: string; status: string }[]);
}

test.afterEach(async ({ request }) => {
  await release(request);
});

test("a reload mid-reply shows the text so far and the rest live; what was shown is what was stored", async ({
  page,
  request,
}) => {
  const { headers } = await newChat(page);
  await hold(request, 8);
  await box(page).fill("Plan the analysis.");
  await box(page).press("Enter");
  await expect(items(page).nth(1)).toContainText("Here is a plan");
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);

  await page.reload();
  // The text so far at once, the reply still running: Stop offered, no "stop it first" with nothing to press.
  const reply = items(page).nth(1);
  await expect(reply).toContainText("Here is a plan");
  await expect(page.getByRole("button", { name: "Stop generating" })).toBeVisible();
  await release(request);
  await expect(reply).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(reply).toContainText(REPLY_END);
  await expect(items(page)).toHaveCount(2);
  const shown = await reply.innerText();

  // What a later visit shows (the stored reply) is what the reattached screen showed.
  await page.reload();
  await expect(items(page).nth(1)).toHaveAttribute("data-status", "complete");
  expect(await items(page).nth(1).innerText()).toBe(shown);
  const messages = await stored(page, headers);
  expect(messages.map((m) => [m.role, m.status])).toEqual([
    ["user", "complete"],
    ["assistant", "complete"],
  ]);
  expect(messages[1]!.content).toContain(REPLY_END);
});

test("a second tab follows the reply live and its Stop stops it", async ({ page, context, request }) => {
  const { headers } = await newChat(page);
  await hold(request, 8);
  await box(page).fill("Plan the analysis.");
  await box(page).press("Enter");
  await expect(items(page).nth(1)).toContainText("Here is a plan");
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);

  const other = await context.newPage();
  await other.goto(page.url());
  await expect(items(other).nth(1)).toContainText("Here is a plan");
  await other.getByRole("button", { name: "Stop generating" }).click();
  await expect(items(other).nth(1)).toHaveAttribute("data-status", "incomplete");
  await expect(other.getByRole("button", { name: "Send message" })).toBeVisible();
  // The first tab sees the same end.
  await expect(items(page).nth(1)).toHaveAttribute("data-status", "incomplete");
  await expect(page.getByRole("button", { name: "Send message" })).toBeVisible();
  const messages = await stored(page, headers);
  expect(messages.map((m) => [m.role, m.status])).toEqual([
    ["user", "complete"],
    ["assistant", "incomplete"],
  ]);
});

test("offline before the send: the text stays, the composer says why, Retry sends it once back online", async ({
  page,
  context,
}) => {
  const { headers } = await newChat(page);
  const url = page.url();
  await context.setOffline(true);
  await expect(page.getByTestId("offline-status")).toBeVisible();
  await box(page).fill("Do not lose me.");
  await box(page).press("Enter");
  await expect(page.getByTestId("unsent-alert")).toBeVisible();
  await expect(box(page)).toHaveValue("Do not lose me.");
  expect(page.url()).toBe(url);
  await expect(items(page)).toHaveCount(0);

  // Nothing is sent by itself when the network returns: the user asks.
  await context.setOffline(false);
  await expect(page.getByTestId("offline-status")).toBeHidden();
  await expect(page.getByTestId("unsent-alert")).toBeVisible();
  await page.getByTestId("unsent-alert").getByRole("button", { name: "Retry" }).click();
  await expect(items(page).nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(box(page)).toHaveValue("");
  const messages = await stored(page, headers);
  expect(messages.map((m) => [m.role, m.content.slice(0, 15)])).toEqual([
    ["user", "Do not lose me."],
    ["assistant", "Here is a plan "],
  ]);
});

test("the connection drops after the server stored the send: Retry shows its reply, nothing stored twice", async ({ page }) => {
  const { headers } = await newChat(page);
  // The request reaches the server (which stores it and generates the reply); its answer never reaches the page.
  await page.route("**/api/chat", async (route) => {
    await route.fetch().catch(() => undefined);
    await route.abort("connectionreset");
  });
  await box(page).fill("Only once, please.");
  await box(page).press("Enter");
  await expect(page.getByTestId("unsent-alert")).toBeVisible({ timeout: 30_000 });
  await expect(box(page)).toHaveValue("Only once, please.");
  await page.unroute("**/api/chat");

  await page.getByTestId("unsent-alert").getByRole("button", { name: "Retry" }).click();
  await expect(items(page).nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(items(page).nth(1)).toContainText(REPLY_END);
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
  const messages = await stored(page, headers);
  expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
});

test("the network goes away mid-reply: the reply goes on when it returns, the message is not sent again", async ({
  page,
  context,
  request,
}) => {
  const { headers } = await newChat(page);
  await hold(request, 8);
  await box(page).fill("Keep going.");
  await box(page).press("Enter");
  await expect(items(page).nth(1)).toContainText("Here is a plan");
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
  const url = page.url();
  await context.setOffline(true);
  await expect(page.getByTestId("offline-status")).toBeVisible();
  await release(request);
  await context.setOffline(false);
  await expect(items(page).nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(items(page).nth(1)).toContainText(REPLY_END);
  expect(page.url()).toBe(url);
  await expect(box(page)).toHaveValue("");
  const messages = await stored(page, headers);
  expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
});
