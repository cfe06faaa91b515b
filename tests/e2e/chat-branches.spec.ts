import { expect, test } from "@playwright/test";
import { canSeed, closeSql, seedMessages, seedProject, seedSession, signIn } from "./support/chat-fixtures";

/**
 * Edit and branch in Chromium (#15 §2) with the offline model: editing an earlier message makes a new version
 * (‹ 2/2 ›) and keeps the old one; switching back to 1/2 is kept across a reload; regenerating twice keeps all
 * three replies (‹ 3/3 ›). Needs the Postgres mode (E2E_DATABASE_URL) to seed.
 */

test.afterAll(async () => {
  await closeSql();
});

test.describe("edit, regenerate and branch", () => {
  test.skip(!canSeed, "needs E2E_DATABASE_URL (the Postgres mode of tests/e2e/server.mjs) to seed data");

  test("edit a message, switch between its versions, reload, regenerate twice", async ({ page, context, baseURL }) => {
    const user = await signIn(context, baseURL!);
    const projectId = await seedProject(user.id, { name: "Branches" });
    const sessionId = await seedSession(user.id, projectId, { title: "Branching chat", model: "offline" });
    await seedMessages(sessionId, [
      { role: "user", content: "The first question" },
      { role: "assistant", content: "The first answer" },
    ]);
    await page.goto(`/projects/${projectId}/chats/${sessionId}`);
    const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
    await expect(items).toHaveCount(2);

    // Edit: inline, Escape cancels; Save & send makes version 2 of 2 and answers it.
    await items.nth(0).getByRole("button", { name: "Edit message" }).click();
    const editor = page.getByRole("textbox", { name: "Edit your message" });
    await expect(editor).toBeFocused();
    await editor.press("Escape");
    await expect(editor).toHaveCount(0);
    await expect(items.nth(0)).toContainText("The first question");
    await items.nth(0).getByRole("button", { name: "Edit message" }).click();
    await editor.fill("The edited question");
    await page.getByRole("button", { name: "Save & send" }).click();
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText("The edited question");
    await expect(items.nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
    await expect(items.nth(0).getByRole("status", { name: "Version 2 of 2" })).toBeVisible();

    // Back to version 1: the old branch, whole, and still there after a reload.
    await items.nth(0).getByRole("button", { name: "Previous version" }).click();
    await expect(items.nth(0).getByRole("status", { name: "Version 1 of 2" })).toBeVisible();
    await expect(items.nth(0)).toContainText("The first question");
    await expect(items.nth(1)).toContainText("The first answer");
    await page.reload();
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText("The first question");
    await expect(items.nth(0).getByRole("status", { name: "Version 1 of 2" })).toBeVisible();

    // Regenerate twice: three replies, all kept as versions of the answer.
    for (const shown of ["Version 2 of 2", "Version 3 of 3"]) {
      await items.nth(1).getByRole("button", { name: "Regenerate reply" }).click();
      await expect(items.nth(1)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
      await expect(items.nth(1).getByRole("status", { name: shown })).toBeVisible();
    }
    await expect(items).toHaveCount(2);
    await items.nth(1).getByRole("button", { name: "Previous version" }).click();
    await expect(items.nth(1).getByRole("status", { name: "Version 2 of 3" })).toBeVisible();
    await page.reload();
    await expect(items.nth(1).getByRole("status", { name: "Version 2 of 3" })).toBeVisible();
  });
});
