import { randomUUID } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";

/**
 * #16 on a phone: 390×844 with touch emulation (the primary pointer is a finger), on the default e2e server (the
 * offline model). Enter adds a line and the button sends; the title keeps its row; the drawer holds focus and its
 * targets are finger-sized; a toast never covers the composer.
 */
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

const NEW_CHAT_URL = /\/projects\/[0-9a-f-]{36}\/chats\/new$/;
const CHAT_URL = /\/projects\/[0-9a-f-]{36}\/chats\/[0-9a-f-]{36}$/;

async function signUp(page: Page) {
  const email = `phone-${randomUUID().slice(0, 8)}@example.test`;
  const response = await page.request.post("/api/v1/auth/signup", {
    data: { email, password: "a long enough password", full_name: "Phone User" },
  });
  expect(response.status()).toBe(201);
}

/**
 * The element's box once it is laid out. Polled: just after the chat's URL changes (the first send stores the
 * chat and the page moves to its address) the header is rendered again, and for a moment has no box.
 */
async function box(locator: Locator) {
  await expect.poll(() => locator.boundingBox()).not.toBeNull();
  return (await locator.boundingBox())!;
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test("a multi-line message with Enter, sent with the button; the title keeps the row; toasts stay clear", async ({ page }) => {
  await signUp(page);
  await page.goto("/chats/new");
  await expect(page).toHaveURL(NEW_CHAT_URL);
  expect(await page.evaluate(() => window.matchMedia("(pointer: coarse)").matches)).toBe(true);

  const message = page.getByRole("textbox", { name: "Message" });
  const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
  // The placeholder promises no Shift+Enter here.
  await expect(message).toHaveAttribute("placeholder", "Write a message…");
  await message.tap();
  await page.keyboard.type("First line");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Second line");
  await expect(message).toHaveValue("First line\nSecond line");
  await expect(items).toHaveCount(0);
  await page.getByRole("button", { name: "Send message" }).tap();
  await expect(items.first()).toContainText("First line\nSecond line");
  await expect(items.nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(page).toHaveURL(CHAT_URL);
  // The chat's own page has replaced the new-chat screen (Send is disabled until then): a dialog opened before
  // would go with the screen it was opened on.
  await expect(page.getByRole("button", { name: "Send message" })).toBeEnabled();

  // The title has the row: memory, gauge, model and the rest are in "Chat options".
  const title = page.getByRole("heading", { level: 1 });
  await expect.poll(async () => (await title.boundingBox())?.width ?? 0).toBeGreaterThan(200);
  await expect(page.getByRole("combobox", { name: "Model" })).toBeHidden();
  await page.getByLabel("Chat options").tap();
  const options = page.getByTestId("chat-options");
  await expect(options.getByRole("combobox", { name: "Model" })).toBeVisible();

  // A toast (saving the system prompt) shows at the top, clear of the composer and its Send button.
  await options.getByRole("button", { name: "System prompt" }).tap();
  const dialog = page.getByRole("dialog", { name: "Project system prompt" });
  await dialog.getByRole("textbox", { name: "System prompt" }).fill("Answer briefly.");
  await dialog.getByRole("button", { name: "Save" }).tap();
  const toast = page.getByTestId("toast").filter({ hasText: "System prompt saved" });
  await expect(toast).toBeVisible();
  const composer = page.getByRole("form", { name: "Send a message" });
  expect(overlaps(await box(toast), await box(composer))).toBe(false);
  expect(overlaps(await box(toast), await box(page.getByRole("button", { name: "Send message" })))).toBe(false);
});

test("the drawer holds focus, closes on Escape, and its targets are at least 44 px", async ({ page }) => {
  await signUp(page);
  await page.goto("/chats/new");
  const message = page.getByRole("textbox", { name: "Message" });
  await message.tap();
  await page.keyboard.type("Hello");
  await page.getByRole("button", { name: "Send message" }).tap();
  await expect(page).toHaveURL(CHAT_URL);
  await expect(page.getByRole("log", { name: "Messages" }).locator("> ol > li").nth(1)).toHaveAttribute(
    "data-status",
    "complete",
    {
      timeout: 30_000,
    },
  );

  const opener = page.getByRole("button", { name: "Open chat list" });
  await opener.tap();
  const nav = page.getByRole("navigation", { name: "Chats" });
  await expect(nav).toBeVisible();
  const row = nav.locator("a[aria-current='page']");
  await expect(row).toBeVisible();
  const chatTitle = (await row.innerText()).trim();
  const targets = [
    nav.getByRole("button", { name: "Close chat list" }),
    nav.getByRole("link", { name: "New chat", exact: true }),
    nav.getByRole("button", { name: /Search chats/ }),
    row,
    nav.getByRole("button", { name: `Rename chat ${chatTitle}` }),
    nav.getByRole("button", { name: `More actions for chat ${chatTitle}` }),
    nav.getByRole("button", { name: `Delete chat ${chatTitle}` }),
    nav.getByRole("button", { name: "Archived chats" }),
  ];
  for (const target of targets) {
    const { width, height } = await box(target);
    expect(height, await target.evaluate((el) => el.outerHTML.slice(0, 80))).toBeGreaterThanOrEqual(44);
    expect(width).toBeGreaterThanOrEqual(44);
  }

  // Tab and Shift+Tab go round inside the drawer, never to the page behind it.
  const inNav = () => page.evaluate(() => Boolean(document.activeElement?.closest("#chat-sidebar")));
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    expect(await inNav()).toBe(true);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await inNav()).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(opener).toBeFocused();
});
