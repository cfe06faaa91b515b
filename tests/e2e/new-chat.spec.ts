import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * #14 "No empty chats; one click to the first message", on the default e2e server (the offline model). What is
 * stored is read back through the REST API with the browser's own session.
 */

const PASSWORD = "a long enough password";
const NEW_CHAT_URL = /\/projects\/([0-9a-f-]{36})\/chats\/new$/;
const CHAT_URL = /\/projects\/([0-9a-f-]{36})\/chats\/([0-9a-f-]{36})$/;

async function signUp(request: APIRequestContext, name: string) {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
  const response = await request.post("/api/v1/auth/signup", { data: { email, password: PASSWORD, full_name: name } });
  expect(response.status()).toBe(201);
  return email;
}

async function chatsOf(request: APIRequestContext, projectId?: string) {
  const response = await request.get(`/api/v1/sessions${projectId ? `?project_id=${projectId}` : ""}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as Array<{ id: string; project_id: string; title: string }>;
}

async function projectsOf(request: APIRequestContext) {
  const response = await request.get("/api/v1/project");
  expect(response.status()).toBe(200);
  return (await response.json()) as Array<{ id: string; project_name: string; system_prompt: string }>;
}

const messageBox = (page: Page) => page.getByRole("textbox", { name: "Message" });
const messages = (page: Page) => page.getByRole("log", { name: "Messages" }).locator("> ol > li");

test("a new user signs up and sends a first message in one step", async ({ page }) => {
  const email = `first-${randomUUID().slice(0, 8)}@example.test`;
  await page.goto("/register");
  await page.getByLabel("Full name").fill("First Timer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  // Straight into a composer of the default project, focused: type and press Enter, nothing else.
  await expect(page).toHaveURL(NEW_CHAT_URL);
  const projectId = NEW_CHAT_URL.exec(page.url())![1];
  await expect(messageBox(page)).toBeFocused();
  await page.keyboard.type("Hello from a brand-new account");
  await page.keyboard.press("Enter");

  await expect(messages(page).first()).toContainText("Hello from a brand-new account");
  await expect(messages(page).nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  // The address is the chat's now, and the sidebar lists it as the current chat.
  await expect(page).toHaveURL(CHAT_URL);
  const chatId = CHAT_URL.exec(page.url())![2];
  const nav = page.getByRole("navigation", { name: "Chats" });
  await expect(nav.locator(`a[href$="/chats/${chatId}"]`)).toHaveAttribute("aria-current", "page");
  await expect(nav).toContainText("Personal");

  const projects = await projectsOf(page.request);
  expect(projects.map((p) => [p.id, p.project_name, p.system_prompt])).toEqual([[projectId, "Personal", ""]]);
  expect((await chatsOf(page.request)).map((c) => c.id)).toEqual([chatId]);
  const history = await page.request.get(`/api/v1/sessions/${chatId}/history`);
  expect(((await history.json()) as Array<{ role: string }>).map((m) => m.role)).toEqual(["user", "assistant"]);

  // The reply streamed into the new chat's screen stays on the chat's own page (and after a reload).
  await page.reload();
  await expect(messages(page)).toHaveCount(2);
  await expect(messages(page).first()).toContainText("Hello from a brand-new account");
});

test("five clicks on New chat store nothing; the first message stores one chat", async ({ page }) => {
  await signUp(page.request, "Clicker");
  await page.goto("/");
  // The dashboard's New chat: one click to the default project's composer (made on this first need).
  await page.getByRole("link", { name: "New chat", exact: true }).click();
  await expect(page).toHaveURL(NEW_CHAT_URL);
  const projectId = NEW_CHAT_URL.exec(page.url())![1];

  const newChat = page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "New chat", exact: true });
  for (let i = 0; i < 5; i++) {
    await newChat.click();
    await expect(page).toHaveURL(NEW_CHAT_URL);
    await expect(messageBox(page)).toBeVisible();
  }
  expect(await chatsOf(page.request)).toEqual([]);
  await expect(page.getByRole("navigation", { name: "Chats" })).toContainText("No chats yet.");

  await messageBox(page).fill("Now I say something");
  await messageBox(page).press("Enter");
  await expect(messages(page).nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(page).toHaveURL(CHAT_URL);
  expect((await chatsOf(page.request, projectId)).length).toBe(1);

  // Another New chat after that one: a fresh, empty composer, and still one chat stored.
  await newChat.click();
  await expect(page).toHaveURL(NEW_CHAT_URL);
  await expect(messages(page)).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Chats" }).locator("a[aria-current='page']")).toHaveCount(0);
  expect((await chatsOf(page.request)).length).toBe(1);
});

test("a project without chats opens on a composer; with chats, on its latest chat", async ({ page }) => {
  await signUp(page.request, "Organiser");
  const created = await page.request.post("/api/v1/project", { data: { project_name: "Research" } });
  expect(created.status()).toBe(201);
  const project = (await created.json()) as { id: string };

  await page.goto(`/projects/${project.id}`);
  await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/chats/new$`));
  await expect(messageBox(page)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Chats" })).toContainText("Research");
  expect(await chatsOf(page.request)).toEqual([]);

  const start = async (title: string) => {
    const response = await page.request.post("/api/v1/sessions", { data: { project_id: project.id, title } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  await start("Older");
  const latest = await start("Latest");
  await page.goto(`/projects/${project.id}`);
  await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/chats/${latest}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Latest" })).toBeVisible();
});
