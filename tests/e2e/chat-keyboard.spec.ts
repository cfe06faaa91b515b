import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";

/**
 * #16 keyboard-only: the chat journey with the shortcuts, against the OpenRouter stand-in (tests/e2e/server.mjs
 * --openrouter), whose reply streams slowly enough for Escape to stop it. Clicks and `focus()` are used only to set
 * up a starting point; every step under test is a key press.
 */
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const PASSWORD = "a long enough password";
const CHAT_URL = /\/projects\/[0-9a-f-]{36}\/chats\/[0-9a-f-]{36}$/;
const NEW_CHAT_URL = /\/projects\/[0-9a-f-]{36}\/chats\/new$/;

const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName}:${el.getAttribute("aria-label") ?? el.textContent?.trim() ?? ""}` : "";
  });

test("new chat, type, send, Esc stops, copy, ? lists the shortcuts, Shift+Esc, sidebar, rename, account menu", async ({
  page,
}) => {
  const email = `keys-${randomUUID().slice(0, 8)}@example.test`;
  const signup = await page.request.post("/api/v1/auth/signup", { data: { email, password: PASSWORD, full_name: "Keys" } });
  expect(signup.status()).toBe(201);
  await page.goto("/chats/new");
  await expect(page).toHaveURL(NEW_CHAT_URL);
  const message = page.getByRole("textbox", { name: "Message" });
  const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
  const nav = page.getByRole("navigation", { name: "Chats" });

  // The skip link is the first stop of the tab order and lands in the composer.
  // (The composer has focus on arrival, so the first Tab stop is read from the document, then the link is used.)
  const firstStop = await page.evaluate(() => {
    const tabbable = [
      ...document.querySelectorAll<HTMLElement>("a[href], button, input, select, textarea, summary, [tabindex]"),
    ].filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && getComputedStyle(el).visibility !== "hidden");
    return tabbable[0]?.textContent;
  });
  expect(firstStop).toBe("Skip to composer");
  await page.getByRole("link", { name: "Skip to composer" }).focus();
  await expect(page.getByRole("link", { name: "Skip to composer" })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(message).toBeFocused();
  await expect(message).toHaveAttribute("placeholder", /Enter to send, Shift\+Enter for a new line/);

  // Shift+Enter adds a line, Enter sends.
  await page.keyboard.type("Plan the sales");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("analysis, please.");
  await page.keyboard.press("Enter");
  await expect(items.first()).toContainText("Plan the sales\nanalysis, please.");
  await expect(items.nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(page).toHaveURL(CHAT_URL);

  // Esc while the next reply streams stops it.
  await expect(page.getByRole("button", { name: "Send message" })).toBeEnabled();
  await message.focus();
  await page.keyboard.type("And the next step?");
  await page.keyboard.press("Enter");
  const second = items.nth(3);
  await expect(second).toContainText("Here is a plan", { timeout: 15_000 });
  await page.keyboard.press("Escape");
  await expect(second).toHaveAttribute("data-status", "incomplete");
  await expect(second).toContainText("Stopped");

  // Ctrl+Shift+C copies the last reply.
  await page.keyboard.press("Control+Shift+C");
  await expect(page.getByTestId("toast").filter({ hasText: "Last reply copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("Here is a plan");
  expect(copied).not.toContain("Plan the sales");

  // `?` outside a text field lists every shortcut, search's Ctrl/⌘+K among them.
  await message.focus();
  await page.keyboard.press("Tab");
  expect(await focusedName(page)).not.toMatch(/^TEXTAREA/);
  await page.keyboard.press("?");
  const list = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(list).toBeVisible();
  for (const label of [
    "New chat",
    "Search chats",
    "Focus the message box",
    "Stop the reply being written",
    "Copy the last reply",
    "Show or hide the chat list",
  ]) {
    await expect(list.getByText(label)).toBeVisible();
  }
  await page.keyboard.press("Escape");
  await expect(list).toBeHidden();

  // Typing `?` in the composer is just a character.
  await page.keyboard.press("Shift+Escape");
  await expect(message).toBeFocused();
  await page.keyboard.type("?");
  await expect(list).toBeHidden();
  await expect(message).toHaveValue("?");
  await page.keyboard.press("Backspace");

  // Ctrl+K is search's, still.
  await page.keyboard.press("Control+K");
  await expect(page.getByRole("dialog", { name: "Search chats" })).toBeVisible();
  await page.keyboard.press("Escape");

  // Ctrl+Shift+S hides and shows the sidebar.
  await expect(nav).toBeVisible();
  await page.keyboard.press("Control+Shift+S");
  await expect(nav).toBeHidden();
  await page.keyboard.press("Control+Shift+S");
  await expect(nav).toBeVisible();

  // Renaming by keyboard leaves focus on the chat's link, not on <body>.
  const current = nav.locator("a[aria-current='page']");
  const title = (await current.innerText()).trim();
  await nav.getByRole("button", { name: `Rename chat ${title}` }).focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("Keyboard chat");
  await page.keyboard.press("Enter");
  await expect(nav.getByRole("link", { name: "Keyboard chat" })).toBeFocused();

  // The account menu in the chat header: Escape and a click outside close it, focus goes back to its button.
  const account = page.getByRole("group").filter({ has: page.locator("summary[aria-label^='Account menu']") });
  const accountButton = page.locator("summary[aria-label^='Account menu']");
  await accountButton.focus();
  await page.keyboard.press("Enter");
  await expect(account.getByRole("link", { name: "Settings" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(account.getByRole("link", { name: "Settings" })).toBeHidden();
  await expect(accountButton).toBeFocused();
  // Escape closing the menu did not also stop or start anything: the last reply is still the stopped one.
  await expect(second).toHaveAttribute("data-status", "incomplete");
  await page.keyboard.press("Enter");
  await expect(account.getByRole("link", { name: "Settings" })).toBeVisible();
  await page.getByRole("heading", { level: 1 }).click();
  await expect(account.getByRole("link", { name: "Settings" })).toBeHidden();

  // Ctrl+Shift+O: a new chat, ready to type in.
  await page.keyboard.press("Control+Shift+O");
  await expect(page).toHaveURL(NEW_CHAT_URL);
  await expect(message).toBeFocused();

  // Settings from the chat screen; logging out there, the next login lands on the default landing, not Settings.
  await accountButton.focus();
  await page.keyboard.press("Enter");
  await account.getByRole("link", { name: "Settings" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings$/);
  await page.locator("header summary[aria-label^='Account menu']").click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(NEW_CHAT_URL);
});
