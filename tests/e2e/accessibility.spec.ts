import { expect, test } from "@playwright/test";
import { canSeed, closeSql, seedMessages, seedProject, seedSession, signIn } from "./support/chat-fixtures";
import { createChatViaApi, registerViaApi } from "./support/api-user";
import { adminPage, emailOf, searchUserRow } from "./support/admin";
import { expectAccessible } from "./support/axe";

/**
 * axe-core (WCAG 2.1 A and AA rules) on every page state a user meets, in light and dark: any critical or
 * serious violation fails the test, naming the rule and the offending nodes. axe's source is injected as an
 * inline script (the CSP allows inline scripts for Next's bootstrap), so no wrapper package is needed.
 */

test.afterAll(async () => {
  await closeSql();
});

test.describe("signed out", () => {
  for (const [path, title] of [
    ["/welcome", "Welcome · Parley"],
    ["/login", "Log in · Parley"],
    ["/register", "Create an account · Parley"],
    ["/forgot-password", "Forgot password · Parley"],
  ] as const) {
    test(`${path} has no serious axe violations, a title and an icon`, async ({ page, request }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // The layout's template adds " · Parley" once.
      await expect(page).toHaveTitle(title);
      const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
      const served = await request.get(icon!);
      expect(served.status()).toBe(200);
      expect(served.headers()["content-type"]).toContain("image/svg+xml");
      await expectAccessible(page, path);
    });
  }

  test("the register page after a refused sign-up keeps what was typed, passwords too, and stays accessible", async ({
    page,
  }) => {
    await page.goto("/register");
    await page.getByLabel("Full name").fill("Ada");
    await page.getByLabel("Email").fill("ada@example.test");
    await page.getByLabel("Password", { exact: true }).fill("a long enough password");
    await page.getByLabel("Confirm password").fill("a different password!");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert").first()).toBeVisible();
    await expect(page.getByText("The passwords do not match")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue("ada@example.test");
    // The passwords stay too: fixing one field should not mean typing both again.
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("a long enough password");
    await expect(page.getByLabel("Confirm password")).toHaveValue("a different password!");
    await expectAccessible(page, "register with an error");
  });
});

test.describe("signed in", () => {
  test("dashboard, its dialogs, a project's new chat, settings", async ({ page, request, context, baseURL }) => {
    const user = await registerViaApi(request, context, baseURL!);
    const { projectId } = await createChatViaApi(request, user, { project_name: "Axe project", project_description: "A11y" });

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByTestId("project-card")).toHaveCount(1);
    await expectAccessible(page, "dashboard");

    await page.getByRole("button", { name: "Delete Axe project" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete “Axe project”?" });
    await expect(confirm).toBeVisible();
    await expectAccessible(page, "delete confirmation");
    await confirm.getByRole("button", { name: "Cancel" }).click();

    await page.getByRole("button", { name: "New project" }).first().click();
    await expect(page.getByRole("dialog", { name: "New project" })).toBeVisible();
    await expectAccessible(page, "new project dialog");

    await page.goto(`/projects/${projectId}/chats/new`);
    await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
    await expectAccessible(page, "new chat composer");

    await page.getByRole("button", { name: "Search chats" }).click();
    await expect(page.getByRole("dialog", { name: "Search chats" })).toBeVisible();
    await expectAccessible(page, "search dialog");

    await page.goto("/settings");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectAccessible(page, "settings");
  });
});

test.describe("administrator", () => {
  test("the admin page: users, a budget, settings and the audit log", async ({ request, context, browser, baseURL }) => {
    // A user besides the admin, given a budget: the table has a row with every control and the audit log an entry.
    const user = await registerViaApi(request, context, baseURL!, "Axe Admin Subject");
    const admin = await adminPage(browser, request, baseURL!);
    const row = await searchUserRow(admin, await emailOf(request, user));
    await row.getByLabel("Monthly tokens").fill("1000");
    await row.getByRole("button", { name: "Save budget" }).click();
    await expect(admin.getByTestId("admin-audit").getByText("user.budget").first()).toBeVisible();
    await expectAccessible(admin, "admin page");
    await admin.context().close();
  });
});

test.describe("a chat with history", () => {
  test.skip(!canSeed, "needs E2E_DATABASE_URL (the Postgres mode of tests/e2e/server.mjs) to seed a failed reply");

  test("messages, a code block, a failed reply; the phone drawer", async ({ page, context, baseURL }) => {
    const user = await signIn(context, baseURL!);
    const projectId = await seedProject(user.id, { name: "Axe chats" });
    const sessionId = await seedSession(user.id, projectId, { title: "Code and failure" });
    const code = "```ts\nconst aVeryLongLine = " + JSON.stringify("x".repeat(300)) + ";\n```";
    await seedMessages(sessionId, [
      { role: "user", content: "Show me code" },
      { role: "assistant", content: `Here is **bold** and code:\n\n${code}` },
      { role: "user", content: "Again" },
      { role: "assistant", content: "", parts: [], status: "error" },
    ]);
    await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
    await expect(items).toHaveCount(4);
    await expect(items.nth(3).getByText("(no text)")).toBeVisible();
    // The code block scrolls sideways and takes focus, so a keyboard can scroll it.
    const codeBody = items.nth(1).locator('[data-streamdown="code-block-body"]');
    await expect(codeBody).toHaveAttribute("tabindex", "0");
    await expect(codeBody).toHaveAccessibleName("Code, ts");
    await expectAccessible(page, "chat with messages");

    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, "chat on a phone");
    await page.getByRole("button", { name: "Open chat list" }).click();
    await expect(page.getByRole("navigation", { name: "Chats" })).toBeVisible();
    await expectAccessible(page, "phone drawer open");
  });

  test("versions of a message (‹ n/m ›) and the inline editor", async ({ page, context, baseURL }) => {
    const user = await signIn(context, baseURL!);
    const projectId = await seedProject(user.id, { name: "Axe branches" });
    const sessionId = await seedSession(user.id, projectId, { title: "Versions", model: "offline" });
    await seedMessages(sessionId, [
      { role: "user", content: "A question" },
      { role: "assistant", content: "An answer" },
    ]);
    await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
    await items.nth(0).getByRole("button", { name: "Edit message" }).click();
    await page.getByRole("textbox", { name: "Edit your message" }).fill("A better question");
    await expectAccessible(page, "editing a message");
    await page.getByRole("button", { name: "Save & send" }).click();
    await expect(items.nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
    await expect(items.nth(0).getByRole("status", { name: "Version 2 of 2" })).toBeVisible();
    await expectAccessible(page, "a message with two versions");
  });
});
