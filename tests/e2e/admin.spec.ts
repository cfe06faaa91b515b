import { expect, test } from "@playwright/test";
import { adminPage, emailOf, searchUserRow } from "./support/admin";
import { createChatViaApi, registerViaApi } from "./support/api-user";

/**
 * #17 §3 in the browser: an admin sets a budget on /admin and the user, over it, reads why in the chat; an admin
 * disables a user and that user's very next request logs them out. The admin is ADMIN_EMAILS's account
 * (tests/e2e/server.mjs).
 */

test("an admin sets a budget; the user over it sees why in the chat", async ({ page, request, context, browser, baseURL }) => {
  const user = await registerViaApi(request, context, baseURL!, "Budget User");
  const email = await emailOf(request, user);
  const { projectId, sessionId } = await createChatViaApi(request, user, { project_name: "Budgeted" });

  await page.goto(`/projects/${projectId}/chats/${sessionId}`);
  const box = page.getByRole("textbox", { name: "Message" });
  const log = page.getByRole("log", { name: "Messages" });
  await box.fill("First question");
  await box.press("Enter");
  await expect(log.locator("> ol > li")).toHaveCount(2);
  await expect(page.getByRole("status", { name: "The assistant is writing" })).toHaveCount(0);

  const admin = await adminPage(browser, request, baseURL!);
  const row = await searchUserRow(admin, email);
  await row.getByLabel("Monthly tokens").fill("1");
  await row.getByRole("button", { name: "Save budget" }).click();
  await expect(row.getByText("over budget")).toBeVisible();
  await expect(admin.getByTestId("admin-audit").getByText("user.budget").first()).toBeVisible();

  await box.fill("Second question");
  await box.press("Enter");
  await expect(page.getByText(/used up this month's budget set by an administrator/)).toBeVisible();
  await expect(box).toHaveValue("Second question");
  await expect(log.locator("> ol > li")).toHaveCount(2);
  await admin.context().close();
});

test("a disabled user is logged out at once", async ({ page, request, context, browser, baseURL }) => {
  const user = await registerViaApi(request, context, baseURL!, "Disabled User");
  const email = await emailOf(request, user);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/settings$/);

  const admin = await adminPage(browser, request, baseURL!);
  const row = await searchUserRow(admin, email);
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row.getByTestId("user-status")).toHaveText("disabled");

  // The very next request, a page or the API, is refused: the page goes to the login, the API answers 401.
  await page.reload();
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings/);
  // Logged out: the session cookies are gone, not merely refused.
  expect((await context.cookies()).filter((c) => c.name.startsWith("parley_"))).toEqual([]);
  expect((await request.get("/api/v1/project", { headers: user.headers })).status()).toBe(401);
  await admin.context().close();
});
