import { expect, test, type Page } from "@playwright/test";
import { loginAs } from "./support/session";

async function createProject(
  page: Page,
  values: { name: string; description?: string; systemPrompt?: string },
  opener = "New project",
) {
  await page.getByRole("button", { name: opener }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Name").fill(values.name);
  if (values.description) await dialog.getByLabel("Description (optional)").fill(values.description);
  if (values.systemPrompt) await dialog.getByLabel("System prompt").fill(values.systemPrompt);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByTestId("project-card").filter({ hasText: values.name }).getByRole("link", { name: values.name }),
  ).toBeVisible();
}

const card = (page: Page, name: string) =>
  page.getByTestId("project-card").filter({ has: page.getByRole("heading", { name, exact: true }) });

test("a user creates, edits, searches, opens and deletes projects; another user sees none of them", async ({ browser }) => {
  const aliceContext = await browser.newContext();
  await loginAs(aliceContext, "Alice");
  const page = await aliceContext.newPage();
  await page.goto("/");

  await expect(page.getByRole("heading", { name: "No projects yet" })).toBeVisible();
  await createProject(
    page,
    { name: "Alpha research", description: "Papers and notes", systemPrompt: "You are a careful research assistant." },
    "Create your first project",
  );
  await createProject(page, { name: "Beta launch" });
  await expect(card(page, "Beta launch")).toContainText("No description");
  await expect(card(page, "Alpha research")).toContainText("Papers and notes");
  await expect(card(page, "Alpha research")).toContainText("0 chats");
  // Newest activity first.
  await expect(page.getByTestId("project-card").first()).toContainText("Beta launch");

  // Validation in the dialog: an empty name is refused in place, nothing is sent.
  await page.getByRole("button", { name: "New project" }).click();
  const newDialog = page.getByRole("dialog", { name: "New project" });
  await newDialog.getByRole("button", { name: "Create project" }).click();
  await expect(newDialog.getByRole("alert")).toHaveText("Name is required");
  await page.keyboard.press("Escape");
  await expect(newDialog).toBeHidden();

  // Edit, the system prompt too; the change survives a reload.
  await card(page, "Alpha research").getByRole("button", { name: "Edit Alpha research" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit “Alpha research”" });
  await expect(editDialog.getByLabel("System prompt")).toHaveValue("You are a careful research assistant.");
  await editDialog.getByLabel("Name").fill("Alpha papers");
  await editDialog.getByLabel("System prompt").fill("Answer in French.");
  await expect(editDialog.getByText("17 / 20,000")).toBeVisible();
  await editDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(card(page, "Alpha papers")).toBeVisible();
  await expect(page.getByTestId("toast").filter({ hasText: "Changes saved" })).toBeVisible();
  await page.reload();
  await card(page, "Alpha papers").getByRole("button", { name: "Edit Alpha papers" }).click();
  await expect(page.getByRole("dialog").getByLabel("System prompt")).toHaveValue("Answer in French.");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  // Search by name, reflected in the URL.
  await page.getByRole("searchbox", { name: "Search projects by name" }).fill("beta");
  await expect(page).toHaveURL(/\?q=beta$/);
  await expect(page.getByTestId("project-card")).toHaveCount(1);
  await expect(card(page, "Beta launch")).toBeVisible();
  await page.getByRole("searchbox", { name: "Search projects by name" }).fill("zzz");
  await expect(page.getByText("No projects match “zzz”.")).toBeVisible();
  await page.getByRole("searchbox", { name: "Search projects by name" }).fill("");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("project-card")).toHaveCount(2);

  // Open a project: a new-chat composer in it, with an empty chat list (#14: no interstitial page).
  await card(page, "Alpha papers").getByRole("link", { name: "Alpha papers" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/chats\/new$/);
  const projectUrl = page.url().replace(/\/chats\/new$/, "");
  await expect(page.getByRole("navigation", { name: "Chats" })).toContainText("Alpha papers");
  await expect(page.getByRole("navigation", { name: "Chats" })).toContainText("No chats yet");
  // The first message starts the first chat; afterwards, opening the project opens its most recent chat.
  await page.getByRole("textbox", { name: "Message" }).fill("A first question");
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/chats\/[0-9a-f-]{36}$/);
  const chatUrl = page.url();
  await expect(page.getByRole("log", { name: "Messages" }).locator("> ol > li").nth(1)).toHaveAttribute(
    "data-status",
    "complete",
    {
      timeout: 30_000,
    },
  );
  await page.goto(projectUrl);
  await expect(page).toHaveURL(chatUrl);
  await page.getByRole("link", { name: "All projects" }).click();

  // Delete, with a confirmation that names the project and says its chats go with it.
  await card(page, "Beta launch").getByRole("button", { name: "Delete Beta launch" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete “Beta launch”?" });
  await expect(confirm).toContainText("chats go with it");
  await confirm.getByRole("button", { name: "Delete project" }).click();
  await expect(card(page, "Beta launch")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("project-card")).toHaveCount(1);

  // Another user: no projects, and Alice's project is a 404.
  const bobContext = await browser.newContext();
  await loginAs(bobContext, "Bob");
  const bob = await bobContext.newPage();
  await bob.goto("/");
  await expect(bob.getByRole("heading", { name: "No projects yet" })).toBeVisible();
  await expect(bob.getByTestId("project-card")).toHaveCount(0);
  const response = await bob.goto(projectUrl);
  expect(response?.status()).toBe(404);
  await expect(bob.getByRole("heading", { name: "Project not found" })).toBeVisible();
  expect(await bob.content()).not.toContain("Alpha papers");
  expect((await bob.goto("/projects/not-a-uuid"))?.status()).toBe(404);

  // Signed out: pages send to the login page, remembering where the user was going.
  const anonymous = await browser.newContext();
  const stranger = await anonymous.newPage();
  await stranger.goto(projectUrl);
  expect(new URL(stranger.url()).pathname).toBe("/login");
  expect(new URL(stranger.url()).searchParams.get("next")).toBe(new URL(projectUrl).pathname);
  await anonymous.close();

  await aliceContext.close();
  await bobContext.close();
});

test("a change the server refuses rolls back with a toast", async ({ browser, request }) => {
  const context = await browser.newContext();
  const user = await loginAs(context, "Carol");
  const page = await context.newPage();
  await page.goto("/");
  await createProject(page, { name: "Soon gone" }, "Create your first project");

  // Deleted elsewhere (through the API), then edited here: the server answers 404 and the edit is undone.
  const listed = await request.get("/api/v1/project", { headers: { authorization: `Bearer ${user.token}` } });
  const [project] = (await listed.json()) as { id: string }[];
  expect(
    (await request.delete(`/api/v1/project/${project.id}`, { headers: { authorization: `Bearer ${user.token}` } })).status(),
  ).toBe(204);

  await card(page, "Soon gone").getByRole("button", { name: "Edit Soon gone" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Renamed");
  await page.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Could not save “Soon gone”: Project not found" })).toBeVisible();
  await expect(card(page, "Soon gone")).toBeVisible();
  await expect(card(page, "Renamed")).toHaveCount(0);
  await context.close();
});

test("every dashboard control is reachable by keyboard", async ({ browser }) => {
  const context = await browser.newContext();
  await loginAs(context, "Dana");
  const page = await context.newPage();
  await page.goto("/");
  // Tab from the top of the page to the "New project" button and open it with Enter.
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.getByRole("button", { name: "New project" }).evaluate((el) => el === document.activeElement);
  }
  expect(reached).toBe(true);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "New project" });
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("Typed only");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  const link = card(page, "Typed only").getByRole("link", { name: "Typed only" });
  await expect(link).toBeVisible();
  await link.focus();
  await page.keyboard.press("Tab");
  await expect(card(page, "Typed only").getByRole("button", { name: "Edit Typed only" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(card(page, "Typed only").getByRole("button", { name: "Delete Typed only" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: "Delete “Typed only”?" })).toBeVisible();
  await page.keyboard.press("Escape");
  await context.close();
});

test("the REST API answers the same with and without a trailing slash, and never redirects", async ({ request, browser }) => {
  const context = await browser.newContext();
  const user = await loginAs(context, "Erin");
  const headers = { authorization: `Bearer ${user.token}` };
  const created = await request.post("/api/v1/project/", { headers, data: { project_name: "Via curl" }, maxRedirects: 0 });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  for (const path of ["/api/v1/project", "/api/v1/project/"]) {
    const response = await request.get(path, { headers, maxRedirects: 0 });
    expect(response.status()).toBe(200);
    expect(((await response.json()) as { id: string }[]).map((p) => p.id)).toEqual([id]);
  }
  expect((await request.get(`/api/v1/project/${id}/`, { headers, maxRedirects: 0 })).status()).toBe(200);
  expect((await request.get("/api/v1/project/available-models/", { headers, maxRedirects: 0 })).status()).toBe(200);
  expect((await request.get("/api/v1/project/", { maxRedirects: 0 })).status()).toBe(401);
  const doc = await request.get("/api/v1/openapi.json");
  expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
  await context.close();
});

test("more than 50 projects load page by page", async ({ browser, request }) => {
  const context = await browser.newContext();
  const user = await loginAs(context, "Frank");
  const headers = { authorization: `Bearer ${user.token}` };
  for (let i = 1; i <= 55; i++) {
    expect(
      (await request.post("/api/v1/project", { headers, data: { project_name: `Bulk ${String(i).padStart(2, "0")}` } })).status(),
    ).toBe(201);
  }
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByTestId("project-card")).toHaveCount(50);
  await expect(page.getByTestId("project-card").first()).toContainText("Bulk 55");
  await page.getByRole("button", { name: "Load more projects" }).click();
  await expect(page.getByTestId("project-card")).toHaveCount(55);
  await expect(page.getByTestId("project-card").last()).toContainText("Bulk 01");
  await expect(page.getByRole("button", { name: "Load more projects" })).toHaveCount(0);
  await context.close();
});
