import { expect, test } from "@playwright/test";

/**
 * Bring your own key, in the browser (#17 §4), on the server whose OpenRouter is the loopback stand-in
 * (tests/e2e/server.mjs --openrouter, allow-list `*:free,anthropic/*`): a user saves their own key in Settings and
 * sees only its last four characters, picks a model the team's allow-list leaves out (marked "your key"), gets a
 * reply from it, and removes the key, after which that model is no longer offered. Whose key each call carried is
 * proven by tests/integration/user-keys.test.ts (the stand-in records the Authorization header there).
 */
const OWN_KEY = `sk-or-v1-${"5e7a".repeat(15)}c0de`;
const EXTRA_MODEL = "openai/gpt-4o-mini"; // in the stand-in's catalog, outside `*:free,anthropic/*`

test("save my key in Settings → see its last 4 → chat with a model only my key allows → remove the key", async ({ page }) => {
  const signup = await page.request.post("/api/v1/auth/signup", {
    data: { email: `own-key-${Date.now()}@example.test`, password: "a long enough password", full_name: "Own Key" },
  });
  expect(signup.status()).toBe(201);
  const created = await page.request.post("/api/v1/project", { data: { project_name: "Own key" } });
  const project = (await created.json()) as { id: string };
  // The catalog is read in the background at start: wait until the server has it (the team's list shows its prices).
  await expect
    .poll(async () => {
      const models = (await (await page.request.get("/api/v1/project/available-models")).json()) as { id: string }[];
      return models.some((m) => m.id === "anthropic/claude-sonnet-4");
    })
    .toBe(true);

  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Your OpenRouter key" });
  await section.getByLabel("OpenRouter API key").fill(OWN_KEY);
  await section.getByRole("button", { name: "Save key" }).click();
  await expect(section.getByRole("status")).toHaveText("Saved key ending in c0de");
  // The field is emptied and the page holds the key nowhere once saved.
  await expect(section.getByLabel("Replace with a new key")).toHaveValue("");
  await page.reload();
  await expect(section.getByRole("status")).toHaveText("Saved key ending in c0de");
  expect(await page.content()).not.toContain(OWN_KEY.slice(0, 20));

  await page.goto(`/projects/${project.id}/chats/new`);
  const picker = page.getByRole("combobox", { name: /model/i });
  await expect(picker.locator(`option[value="${EXTRA_MODEL}"]`)).toContainText("your key");
  await picker.selectOption(EXTRA_MODEL);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("Plan the analysis with my own key.");
  await box.press("Enter");
  const reply = page.getByRole("log", { name: "Messages" }).locator("> ol > li").nth(1);
  await expect(reply).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  await expect(reply).toContainText("Here is a plan for the sales analysis:");
  await expect(reply.getByTestId("model-badge")).toHaveText("OpenAI: GPT-4o-mini");

  await page.goto("/settings");
  await section.getByRole("button", { name: "Remove key" }).click();
  await expect(section.getByRole("status")).toHaveCount(0);
  await expect(section.getByLabel("OpenRouter API key")).toBeVisible();
  await page.goto(`/projects/${project.id}/chats/new`);
  await expect(picker.locator(`option[value="${EXTRA_MODEL}"]`)).toHaveCount(0);
  await expect(picker.locator('option[value="anthropic/claude-sonnet-4"]')).not.toContainText("your key");
});
