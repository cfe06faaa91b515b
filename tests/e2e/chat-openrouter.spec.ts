import { expect, test, type Locator } from "@playwright/test";

/**
 * How a code block looks in each theme: its height, its lines, its buttons, the colours of its parts and of its
 * first tokens. A streamed reply's block (Streamdown and shiki in the browser) and the same reply reloaded (the
 * server's highlighted HTML) must give the same (#16): the view does not change once a reply is stored.
 */
async function codeBlockLook(block: Locator) {
  // On screen: off it, `content-visibility: auto` (Streamdown's) would give the block a placeholder height.
  await block.scrollIntoViewIfNeeded();
  await block.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
  return block.evaluate((element) => {
    const root = document.documentElement;
    const theme = root.dataset.theme;
    const colours = (node: Element | null) => {
      if (!node) return null;
      const style = getComputedStyle(node);
      return `${style.color} on ${style.backgroundColor}`;
    };
    const look = (name: string) => {
      root.dataset.theme = name;
      const tokens = Array.from(element.querySelectorAll("code > span > span"), (token) => getComputedStyle(token).color);
      return {
        height: element.getBoundingClientRect().height,
        lines: element.querySelectorAll("code > span").length,
        buttons: Array.from(element.querySelectorAll("button"), (button) => button.getAttribute("aria-label")),
        block: colours(element),
        header: colours(element.querySelector("[data-streamdown='code-block-header']")),
        body: colours(element.querySelector("[data-streamdown='code-block-body']")),
        pre: colours(element.querySelector("pre")),
        tokens: tokens.slice(0, 8),
      };
    };
    const looks = { light: look("light"), dark: look("dark") };
    if (theme) root.dataset.theme = theme;
    return looks;
  });
}

/**
 * The full chat journey against a "real" provider: this server's OpenRouter models are served by the loopback
 * stand-in (tests/e2e/server.mjs --openrouter), which streams a markdown reply with a code block, slowly
 * enough to press Stop. Everything above the wire — the real OpenRouter provider, the send-message service,
 * the UI stream and the chat screen — is the production code.
 */
test("project → new chat → streamed markdown reply → Stop → Regenerate the stopped reply → rename → reload → delete", async ({
  page,
}) => {
  const email = `journey-${Date.now()}@example.test`;
  const signup = await page.request.post("/api/v1/auth/signup", {
    data: { email, password: "a long enough password", full_name: "Journey" },
  });
  expect(signup.status()).toBe(201);
  const created = await page.request.post("/api/v1/project", {
    data: { project_name: "Sales", system_prompt: "You are a data analyst." },
  });
  expect(created.status()).toBe(201);
  const project = (await created.json()) as { id: string };

  // A project without chats opens on a new-chat composer (#14): the chat is stored with its first message.
  await page.goto(`/projects/${project.id}`);
  await expect(page).toHaveURL(/\/chats\/new$/);
  await expect(page.getByRole("combobox", { name: /model/i })).toHaveValue("meta-llama/llama-3.3-70b-instruct:free");

  const box = page.getByRole("textbox", { name: "Message" });
  const items = page.getByRole("log", { name: "Messages" }).locator("> ol > li");

  // A streamed reply with markdown and a highlighted code block.
  await box.fill("Plan the sales analysis, please.");
  await box.press("Enter");
  await expect(items.first()).toContainText("Plan the sales analysis, please.");
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
  const reply = items.nth(1);
  await expect(page.getByRole("button", { name: "Stop generating" })).toBeVisible();
  await expect(reply).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
  // Rendered, not raw: no markdown markers left, a list and a code block.
  await expect(reply).toContainText("Here is a plan for the sales analysis:");
  expect(await reply.innerText()).not.toContain("**");
  await expect(reply.getByRole("listitem").filter({ hasText: "Describe it" })).toBeVisible();
  await expect(reply.locator("code").filter({ hasText: "import pandas as pd" })).toBeVisible();
  await expect(reply.getByTestId("model-badge")).toHaveText("Llama 3.3 70B Instruct");
  // Its tokens and the cost OpenRouter reported (the stand-in charges $0.00123 a call), exact on hover.
  const cost = reply.getByTestId("reply-usage");
  await expect(cost).toHaveText(/^[\d,]+ → [\d,]+ tokens · \$0\.0012$/);
  await expect(cost).toHaveAttribute("title", "$0.00123 USD");

  // Stop while it streams: what arrived is kept, marked Stopped. Send is disabled until the new chat's own page
  // has replaced the new-chat screen (chat-view.tsx's handover): Enter before that sends nothing.
  await expect(page.getByRole("button", { name: "Send message" })).toBeEnabled();
  await box.fill("And the next step?");
  await box.press("Enter");
  const second = items.nth(3);
  await expect(second).toContainText("Here is a plan", { timeout: 15_000 });
  await page.getByRole("button", { name: "Stop generating" }).click();
  await expect(second).toHaveAttribute("data-status", "incomplete");
  await expect(second).toContainText("Stopped");
  await expect(page.getByRole("button", { name: "Send message" })).toBeVisible();

  // Regenerate the stopped reply at once: a complete one replaces it, on screen and in the database.
  const stoppedText = await second.innerText();
  await second.getByRole("button", { name: "Regenerate reply" }).click();
  await expect(page.getByRole("button", { name: "Stop generating" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send message" })).toBeVisible({ timeout: 30_000 });
  await expect(items).toHaveCount(4);
  await expect(items.nth(3)).toHaveAttribute("data-status", "complete");
  // Still there once the page has refreshed its server data after the reply (sidebar order, memory gauge).
  await page.waitForLoadState("networkidle");
  await expect(items).toHaveCount(4);
  const streamed = await items.nth(3).innerText();
  expect(streamed).not.toBe(stoppedText);
  expect(streamed).toContain("write down what we find");
  // Its code block as streamed: highlighted in the browser.
  const streamedBlock = items.nth(3).locator("[data-streamdown='code-block']");
  await expect(streamedBlock.locator("span[style*='--sdm-c']").first()).toBeAttached();
  const streamedLook = await codeBlockLook(streamedBlock);

  // The chat was titled by the stand-in after its first reply (it answers the title request with its reply's
  // first line, sanitised); rename it, then reload: the stored conversation is exactly what was streamed.
  const nav = page.getByRole("navigation", { name: "Chats" });
  await nav.getByRole("button", { name: "Rename chat Here is a plan for the sales analysis" }).click();
  await nav.getByRole("textbox", { name: "Chat title" }).fill("Sales plan");
  await nav.getByRole("textbox", { name: "Chat title" }).press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Sales plan" })).toBeVisible();
  await page.reload();
  const reloaded = page.getByRole("log", { name: "Messages" }).locator("> ol > li");
  await expect(reloaded).toHaveCount(4);
  expect(await reloaded.nth(3).innerText()).toBe(streamed);
  // The stored reply's code block, highlighted by the server, looks as it did streamed, and its Copy copies.
  const stored = reloaded.nth(3).locator("[data-streamdown='code-block'][data-highlighted]");
  expect(await codeBlockLook(stored)).toEqual(streamedLook);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const copy = stored.getByRole("button", { name: "Copy Code" });
  await copy.click();
  await expect(copy).toHaveAttribute("data-copied", "");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    "import pandas as pd\ndf = pd.read_csv('sales.csv')\nprint(df.describe())",
  );
  await expect(copy).not.toHaveAttribute("data-copied");
  await expect(page.getByRole("heading", { level: 1, name: "Sales plan" })).toBeVisible();
  // The chat's total so far in its header: replies and title together.
  await expect(page.getByTestId("chat-usage")).toHaveText(/^[\d,]+ tokens · \$0\.00\d+$/);

  // Delete the chat: the project is empty again.
  await nav.getByRole("button", { name: "Delete chat Sales plan" }).click();
  await page.getByRole("dialog", { name: "Delete this chat?" }).getByRole("button", { name: "Delete chat" }).click();
  await expect(page.getByText("No chats yet")).toBeVisible();

  // The Usage page (account menu): what the deleted chat cost stays in the user's totals, by day, model, project.
  await page.goto("/usage");
  await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
  await expect(page.getByTestId("usage-totals")).toContainText(/\$0\.00\d+/);
  await expect(page.getByTestId("usage-chart").locator("rect")).toHaveCount(30);
  await expect(page.getByTestId("usage-table-model")).toContainText("meta-llama/llama-3.3-70b-instruct:free");
  await expect(page.getByTestId("usage-table-project")).toContainText("Sales");
});

/**
 * The model catalog (#17): this server reads the stand-in's model list (`GET /api/v1/models`) and offers what
 * OPENROUTER_MODELS ("*:free,anthropic/*", set by server.mjs) allows. The picker's search narrows it, and each
 * model shows its context size and price.
 */
test("model picker: search finds a catalog model and shows its context and price", async ({ page }) => {
  const signup = await page.request.post("/api/v1/auth/signup", {
    data: { email: `catalog-${Date.now()}@example.test`, password: "a long enough password", full_name: "Catalog" },
  });
  expect(signup.status()).toBe(201);
  // The catalog is read in the background from the server's start; the list has it once that read is done.
  await expect
    .poll(async () => {
      const models = (await (await page.request.get("/api/v1/project/available-models")).json()) as Array<{ id: string }>;
      return models.map((m) => m.id);
    })
    .toContain("anthropic/claude-sonnet-4");
  const models = (await (await page.request.get("/api/v1/project/available-models")).json()) as Array<Record<string, unknown>>;
  expect(models.find((m) => m.id === "anthropic/claude-sonnet-4")).toMatchObject({
    context_window: 200_000,
    pricing: { prompt: 3, completion: 15 },
    free: false,
    vendor: "anthropic",
  });

  const created = await page.request.post("/api/v1/project", { data: { project_name: "Catalog" } });
  const project = (await created.json()) as { id: string };
  await page.goto(`/projects/${project.id}`);
  const picker = page.getByRole("combobox", { name: "Model" });
  await expect(picker).toHaveValue("meta-llama/llama-3.3-70b-instruct:free");
  await expect(page.getByTestId("model-details")).toHaveText("131K context · free");

  await page.getByRole("searchbox", { name: "Search models" }).fill("claude");
  // Only the match is listed besides the chosen model, grouped under its vendor, with its context and price.
  await expect(picker.locator("optgroup[label='Anthropic'] option")).toHaveText([
    "Anthropic: Claude Sonnet 4 · 200K context · $3 / $15 per M tokens",
  ]);
  await expect(picker.locator("option")).toHaveCount(2);
  await picker.selectOption("anthropic/claude-sonnet-4");
  await expect(page.getByTestId("model-details")).toHaveText("200K context · $3 / $15 per M tokens");

  await page.getByRole("searchbox", { name: "Search models" }).fill("no such model");
  await expect(page.getByRole("status").filter({ hasText: "No model matches" })).toBeVisible();
});
