import { expect, test, type Page } from "@playwright/test";

/**
 * Chat titles, pin and archive in Chromium, on the offline model (no seeding: the REST API sets the scene).
 */

async function signUpWithProject(page: Page, name: string): Promise<{ projectId: string }> {
  const signup = await page.request.post("/api/v1/auth/signup", {
    data: { email: `${name}-${Date.now()}@example.test`, password: "a long enough password", full_name: name },
  });
  expect(signup.status()).toBe(201);
  const created = await page.request.post("/api/v1/project", { data: { project_name: `${name} project` } });
  expect(created.status()).toBe(201);
  return { projectId: ((await created.json()) as { id: string }).id };
}

async function createChat(page: Page, projectId: string, title?: string): Promise<string> {
  const created = await page.request.post("/api/v1/sessions", { data: { project_id: projectId, title } });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

test("a new chat gets its title in the sidebar and the header after the first reply, without a reload", async ({ page }) => {
  const { projectId } = await signUpWithProject(page, "titles");
  const sessionId = await createChat(page, projectId);
  await page.goto(`/projects/${projectId}/chats/${sessionId}`);
  const nav = page.getByRole("navigation", { name: "Chats" });
  await expect(nav.getByRole("link", { name: "New Chat", exact: true })).toHaveAttribute("aria-current", "page");

  // A marker on the window survives only if the page is never reloaded.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("How do I keep basil alive indoors in winter?");
  await box.press("Enter");
  await expect(page.getByRole("log", { name: "Messages" }).locator("> ol > li").nth(1)).toHaveAttribute(
    "data-status",
    "complete",
    {
      timeout: 30_000,
    },
  );

  // The offline model titles from the question's first six words.
  const title = "How do I keep basil alive";
  await expect(nav.getByRole("link", { name: title })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(nav.getByRole("link", { name: "New Chat", exact: true })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  const stored = await page.request.get(`/api/v1/sessions/${sessionId}`);
  expect(((await stored.json()) as { title: string }).title).toBe(title);
});

test("pin a chat to the top, archive one, find it under Archived chats and restore it", async ({ page }) => {
  const { projectId } = await signUpWithProject(page, "pins");
  // Created oldest first: the sidebar lists Gamma, Beta, Alpha.
  const alpha = await createChat(page, projectId, "Alpha notes");
  await createChat(page, projectId, "Beta notes");
  const gamma = await createChat(page, projectId, "Gamma notes");
  await page.goto(`/projects/${projectId}/chats/${gamma}`);
  const nav = page.getByRole("navigation", { name: "Chats" });
  const chats = nav.getByRole("list", { name: "Chats in pins project", exact: true });
  await expect(chats.getByRole("link")).toHaveText(["Gamma notes", "Beta notes", "Alpha notes"]);

  // Pin the oldest: it leads, under "Pinned".
  await nav.getByRole("button", { name: "More actions for chat Alpha notes" }).click();
  await page.getByRole("menu", { name: "Actions for chat Alpha notes" }).getByRole("menuitem", { name: "Pin" }).click();
  const pinned = nav.getByRole("list", { name: "Pinned chats in pins project", exact: true });
  await expect(pinned.getByRole("link")).toHaveText(["Alpha notes"]);
  await expect(chats.getByRole("link")).toHaveText(["Gamma notes", "Beta notes"]);
  expect(((await (await page.request.get(`/api/v1/sessions/${alpha}`)).json()) as { pinned: boolean }).pinned).toBe(true);

  // Archive the open chat: it leaves the list (the chat itself stays open).
  await nav.getByRole("button", { name: "More actions for chat Gamma notes" }).click();
  await page.getByRole("menuitem", { name: "Archive" }).click();
  await expect(chats.getByRole("link")).toHaveText(["Beta notes"]);
  await expect(page.getByRole("heading", { level: 1, name: "Gamma notes" })).toBeVisible();

  // The Archived view lists it and restores it.
  await nav.getByRole("button", { name: "Archived chats" }).click();
  const archived = nav.getByRole("list", { name: "Archived chats in pins project", exact: true });
  await expect(archived.getByRole("link")).toHaveText(["Gamma notes"]);
  await archived.getByRole("button", { name: "Unarchive chat Gamma notes" }).click();
  await expect(archived.getByText("No archived chats.")).toBeVisible();
  await nav.getByRole("button", { name: "Back to chats" }).click();
  await expect(chats.getByRole("link")).toHaveText(["Gamma notes", "Beta notes"]);

  // Unpin: Alpha goes back to its place by activity; the state survives a reload.
  await nav.getByRole("button", { name: "More actions for chat Alpha notes" }).click();
  await page.getByRole("menuitem", { name: "Unpin" }).click();
  await expect(pinned).toHaveCount(0);
  await page.reload();
  await expect(chats.getByRole("link")).toHaveText(["Gamma notes", "Beta notes", "Alpha notes"]);
});
