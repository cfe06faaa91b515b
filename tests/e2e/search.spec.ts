import { expect, test } from "@playwright/test";
import { canSeed, closeSql, linkAsOnePath, seedMessages, seedProject, seedSession, signIn, sql } from "./support/chat-fixtures";

/**
 * Search across chats in Chromium: Ctrl+K opens the dialog, typing finds a message of another project by a word
 * being typed (prefix), arrows and Enter open the chat scrolled to that message — older than the first page of
 * the chat — and mark it; Escape closes and gives focus back. Needs the Postgres mode (E2E_DATABASE_URL) to seed.
 */

test.afterAll(async () => {
  await closeSql();
});

test.describe("search", () => {
  test.skip(!canSeed, "needs E2E_DATABASE_URL (the Postgres mode of tests/e2e/server.mjs) to seed data");

  test("Ctrl+K finds a message in another project and opens the chat scrolled to it", async ({ page, context, baseURL }) => {
    const user = await signIn(context, baseURL!);
    const here = await seedProject(user.id, { name: "Here" });
    const hereChat = await seedSession(user.id, here, { title: "Where we start" });
    await seedMessages(hereChat, [{ role: "user", content: "nothing to see" }]);
    const there = await seedProject(user.id, { name: "Elsewhere" });
    const target = await seedSession(user.id, there, { title: "Old notes", lastActivityAt: new Date(Date.now() - 3_600_000) });
    // The match is the third message of 300: far above the newest page (50) the chat opens on.
    await seedMessages(target, [
      { role: "user", content: "first words" },
      { role: "assistant", content: "second words" },
      { role: "user", content: "Remember the <b>periwinkle</b> umbrella we bought" },
    ]);
    await sql()`
      insert into parley.messages (session_id, owner_id, seq, role, content, parts, status)
      select ${target}, ${user.id}, 3 + n, case when n % 2 = 1 then 'assistant' else 'user' end, 'Filler ' || n,
             jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'Filler ' || n)), 'complete'
        from generate_series(1, 297) as n`;
    await sql()`update parley.chat_sessions set last_seq = 300, message_count = 300 where id = ${target}`;
    await linkAsOnePath(sql(), target);
    const [{ id: messageId }] = await sql()`select id from parley.messages where session_id = ${target} and seq = 3`;

    await page.goto(`/projects/${here}/chats/${hereChat}`);
    const composer = page.getByRole("textbox", { name: "Message", exact: true });
    await composer.focus();
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search chats" });
    await expect(dialog).toBeVisible();
    const box = dialog.getByRole("combobox");
    await expect(box).toBeFocused();

    // Escape closes and focus returns to where it was.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(composer).toBeFocused();

    // The sidebar's button opens it too; a word being typed matches as a prefix.
    await page.getByRole("button", { name: "Search chats" }).click();
    await box.fill("umbrella periwin");
    const option = dialog.getByRole("option");
    await expect(option).toHaveCount(1);
    await expect(option).toContainText("Old notes");
    // The message's markup is text, and the matched words are marked.
    await expect(option).toContainText("<b>periwinkle</b> umbrella");
    await expect(option.locator("mark")).toHaveText(["periwinkle", "umbrella"]);
    await expect(option).toHaveAttribute("aria-selected", "true");

    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/projects/${there}/chats/${target}\\?m=${messageId}$`));
    const found = page.locator(`[data-message-id="${messageId}"]`);
    await expect(found).toBeInViewport();
    await expect(found).toHaveAttribute("data-found", "true");
    await expect(found).not.toHaveAttribute("data-found");
    // The page reached back to it: older messages are loaded down to just above the match.
    await expect(page.getByText("first words", { exact: true })).toBeAttached();
  });
});
