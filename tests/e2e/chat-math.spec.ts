import { expect, test, type Page } from "@playwright/test";
import { createChatViaApi, registerViaApi } from "./support/api-user";
import { FIRST_LOAD_BUDGET, measureFirstLoadJs } from "./support/first-load";

/**
 * Math in replies: TeX renders with KaTeX, whose code and stylesheet load only once a reply has a formula, and
 * whose fonts are served by Parley itself under the CSP. The offline model quotes the user's message back, so a
 * message with formulas gets a reply with the same formulas.
 */

const hasKatexStyles = (page: Page) =>
  page.evaluate(() =>
    [...document.styleSheets].some((sheet) => {
      try {
        return [...sheet.cssRules].some((rule) => rule.cssText.includes(".katex"));
      } catch {
        return false;
      }
    }),
  );

test("a reply with $…$ and \\[…\\] renders KaTeX, loaded on demand and under the CSP", async ({
  page,
  request,
  context,
  baseURL,
}) => {
  const user = await registerViaApi(request, context, baseURL!);
  const { projectId, sessionId } = await createChatViaApi(request, user, { project_name: "Physics" });
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const fonts: { url: string; status: number }[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "font") fonts.push({ url: response.url(), status: response.status() });
  });

  // The chat page's first load: the scripts it fetched, compressed, within the budget (#16: the Markdown renderer,
  // the highlighter and KaTeX come later, with the first reply that needs them).
  const firstLoad = await measureFirstLoadJs(page, `/projects/${projectId}/chats/${sessionId}`);
  test.info().annotations.push({
    type: "chat page first-load JS",
    description: `${firstLoad.scripts.length} scripts, ${firstLoad.total} bytes compressed`,
  });
  expect(firstLoad.total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
  expect(firstLoad.total).toBeGreaterThan(0);
  const composer = page.getByRole("textbox", { name: "Message", exact: true });
  // No formula yet: KaTeX is not loaded.
  expect(await hasKatexStyles(page)).toBe(false);

  await composer.fill(String.raw`Energy $E=mc^2$ and \[a^2+b^2=c^2\]`);
  await composer.press("Enter");
  const reply = page.getByRole("log", { name: "Messages" }).locator("> ol > li[data-role='assistant']");
  await expect(reply).toHaveAttribute("data-status", "complete", { timeout: 30_000 });

  async function expectRendered() {
    await expect(reply.locator(".katex").first()).toBeVisible();
    await expect(reply.locator(".katex-display")).toHaveCount(1);
    // Two formulas, rendered: the TeX sits only in KaTeX's hidden MathML annotation, no delimiter shows.
    await expect(reply.locator(".katex")).toHaveCount(2);
    const shown = await reply.locator(".chat-markdown").evaluate((el) => (el as HTMLElement).innerText);
    expect(shown).toContain("E");
    expect(shown).not.toMatch(/\$|\\\[|\\\]/);
  }
  await expectRendered();
  expect(await hasKatexStyles(page)).toBe(true);
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.fonts].some((f) => f.family.replaceAll('"', "") === "KaTeX_Main" && f.status === "loaded"),
      ),
    )
    .toBe(true);

  // Stored and reloaded, it renders again.
  await page.reload();
  await expectRendered();

  expect(fonts.length).toBeGreaterThan(0);
  for (const font of fonts) {
    expect(new URL(font.url).origin).toBe(new URL(baseURL!).origin);
    expect(font.status).toBe(200);
  }
  expect(violations).toEqual([]);
});
