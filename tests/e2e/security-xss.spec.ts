import { expect, test, type Page } from "@playwright/test";
import { createChatViaApi, createSessionViaApi, registerViaApi } from "./support/api-user";
import { canSeed, closeSql, seedMessages } from "./support/chat-fixtures";

/**
 * Stored XSS in Chromium: what users type (project names, descriptions, system prompts, chat titles, messages)
 * and what a model answers (markdown rendered by streamdown) is stored with script and link payloads and then
 * shown on every screen that displays it. The test fails on any dialog, on `window.__xss` being set (each
 * payload sets it before alerting), on an injected script/iframe/event-handler attribute, on any rendered
 * anchor whose href runs code (`javascript:`, `vbscript:`, `data:`), and when clicking the rendered links runs
 * anything. Payloads must still be visible as text where the screen shows plain text: stored and escaped, not
 * dropped.
 */

const RUN = "window.__xss=1;alert(1)";
const P = {
  script: `<script>${RUN}</script>`,
  img: `<img src=x onerror="${RUN}">`,
  svg: `<svg onload="${RUN}"></svg>`,
  mdJsLink: `[click me](javascript:${RUN})`,
  mdDataLink: `[data link](data:text/html,<script>${RUN}</script>)`,
  anchor: `<a href="javascript:${RUN}">raw anchor</a>`,
  iframe: `"><iframe srcdoc="<script>parent.__xss=1;alert(1)</script>">`,
  autolink: `<javascript:${RUN}>`,
} as const;
const ALL = Object.values(P);

declare global {
  interface Window {
    __xss?: unknown;
  }
}

test.afterAll(async () => {
  await closeSql();
});

/** Everything that would show that a payload ran. Collected for the whole page lifetime. */
function watch(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => {});
  });
  const popups: string[] = [];
  page.on("popup", (popup) => popups.push(popup.url()));
  return {
    async assertInert(where: string) {
      // Give late handlers (image errors, lazy markdown parts) their chance to run first.
      await page.waitForLoadState("load");
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(dialogs, `dialogs on ${where}`).toEqual([]);
      expect(popups, `popups on ${where}`).toEqual([]);
      const state = await page.evaluate(() => {
        const all = Array.from(document.querySelectorAll("*"));
        return {
          flag: window.__xss ?? null,
          // Any on* attribute in the DOM came from content: the app sets none (React attaches listeners itself).
          handlers: all.flatMap((el) =>
            Array.from(el.attributes)
              .filter((a) => /^on/i.test(a.name))
              .map((a) => `${el.tagName}[${a.name}]`),
          ),
          iframes: document.querySelectorAll("iframe, frame, object, embed").length,
          // Next's own inline scripts carry the page data (payload strings included, JSON-escaped): skip those.
          scripts: Array.from(document.scripts).filter(
            (s) => !s.src && /__xss/.test(s.text) && !/self\.__next_f|__NEXT_DATA__/.test(s.text),
          ).length,
          badHrefs: Array.from(document.querySelectorAll("a[href], area[href], [xlink\\:href], form[action], iframe[src]"))
            .map(
              (el) =>
                el.getAttribute("href") ??
                el.getAttribute("xlink:href") ??
                el.getAttribute("action") ??
                el.getAttribute("src") ??
                "",
            )
            // React's own guard on a form whose action is a function rendered in the browser (the account menu's
            // Log out on a chat reached by client navigation): not a payload, and exactly this text.
            .filter((href) => !href.startsWith("javascript:throw new Error('A React form was unexpectedly submitted."))
            .filter((href) => /^\s*(javascript|vbscript|data):/i.test(href.replace(/[\u0000-\u001f]/g, ""))),
        };
      });
      expect(state, `DOM state on ${where}`).toEqual({ flag: null, handlers: [], iframes: 0, scripts: 0, badHrefs: [] });
    },
  };
}

/**
 * Walks the windowed message list from its top to its bottom, half a viewport at a time, calling `visit` at each
 * stop once the rows there are rendered: together the stops have had every row in the DOM.
 */
async function walkList(page: Page, visit: (where: string) => Promise<void>) {
  const scroller = page.getByTestId("message-scroller");
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  for (let stop = 0; ; stop++) {
    await frames();
    await visit(`(scrolled to stop ${stop})`);
    const atEnd = await scroller.evaluate((el) => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return true;
      el.scrollBy({ top: el.clientHeight / 2 });
      return false;
    });
    if (atEnd) return;
  }
}

test("stored payloads render inert on the dashboard, the project dialog, the sidebar and the chat", async ({
  page,
  request,
  context,
  baseURL,
}) => {
  // The account's own name is a payload too (the user menu shows it on every page).
  const user = await registerViaApi(request, context, baseURL!, P.img);
  const watcher = watch(page);

  // A project whose every text field holds payloads, and another holding the rest in its name and description.
  // Two chats titled with payloads; the messages: every payload once, each answered by the offline model (which
  // quotes the message back inside its markdown reply).
  const projectName = `${P.img} ${P.script}`;
  const description = `${P.svg} ${P.anchor} ${P.mdJsLink}`;
  const systemPrompt = ALL.join("\n");
  const { projectId, sessionId: otherSession } = await createChatViaApi(
    request,
    user,
    { project_name: projectName, project_description: description, system_prompt: systemPrompt },
    P.anchor,
  );
  expect(
    (
      await request.post("/api/v1/project", {
        headers: user.headers,
        data: { project_name: P.iframe, project_description: P.autolink },
      })
    ).status(),
  ).toBe(201);
  const sessionId = await createSessionViaApi(request, user, projectId, P.img);
  for (const payload of ALL) {
    const sent = await request.post(`/api/v1/sessions/${sessionId}/chat`, { headers: user.headers, data: { message: payload } });
    expect(sent.status(), `sending ${payload}`).toBe(200);
  }
  if (canSeed) {
    // A model reply with every payload verbatim, including a reference-style link and raw HTML blocks.
    await seedMessages(sessionId, [
      { role: "user", content: "Show me links" },
      {
        role: "assistant",
        content: `Links:\n\n${ALL.map((p) => `- ${p}`).join("\n")}\n\n[reference link][r]\n\n[r]: javascript:${RUN}\n\n${P.iframe}\n\n${P.script}\n`,
      },
    ]);
  }

  // ---- dashboard: names and descriptions as text.
  await page.goto("/");
  const projects = page.getByRole("list", { name: "Your projects" });
  await expect(projects.getByText(projectName, { exact: true })).toBeVisible();
  await expect(projects.getByText(description, { exact: true })).toBeVisible();
  await expect(projects.getByText(P.iframe, { exact: true })).toBeVisible();
  await expect(projects.getByText(P.autolink, { exact: true })).toBeVisible();
  // The account's name, in the app bar's menu.
  const account = page.getByLabel(`Account menu for ${P.img}`);
  await account.click();
  await expect(page.getByText(P.img, { exact: true }).first()).toBeVisible();
  await account.click();
  await watcher.assertInert("the dashboard");

  // ---- the project dialog: the stored values come back as form values, not markup.
  await page.getByRole("button", { name: `Edit ${projectName}` }).click();
  const dialog = page.getByRole("dialog", { name: `Edit “${projectName}”` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Name")).toHaveValue(projectName);
  await expect(dialog.getByLabel("Description (optional)")).toHaveValue(description);
  await expect(dialog.getByLabel("System prompt")).toHaveValue(systemPrompt);
  await watcher.assertInert("the project dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // ---- the chat: header, sidebar, user messages as text, replies as markdown.
  await page.goto(`/projects/${projectId}/chats/${sessionId}`);
  await expect(page.getByRole("heading", { level: 1, name: P.img })).toBeVisible();
  const sidebar = page.getByRole("list", { name: `Chats in ${projectName}` });
  await expect(sidebar.getByRole("link", { name: P.anchor })).toBeVisible();
  await expect(sidebar.getByRole("link", { name: P.img })).toBeVisible();
  const log = page.getByRole("log", { name: "Messages" });
  const userMessages = log.locator("> ol > li[data-role='user']");
  const replies = log.locator("> ol > li[data-role='assistant']");
  // The list is windowed (only the rows near the viewport are in the DOM): every message is loaded, and each row is
  // checked while the walk through the list has it on screen.
  await expect(log.locator("> ol")).toHaveAttribute("data-loaded", String(2 * ALL.length + (canSeed ? 2 : 0)));
  const shown = new Set<string>();
  const linkTexts = new Set<string>();
  await walkList(page, async (where) => {
    for (const payload of ALL) if (await userMessages.getByText(payload, { exact: true }).isVisible()) shown.add(payload);
    // The offline model quoted each payload back; the markdown links among them render as their text.
    for (const name of ["click me", "data link"]) if (await replies.getByText(name).first().isVisible()) linkTexts.add(name);
    await watcher.assertInert(`the chat page ${where}`);
  });
  expect([...shown].sort(), "user messages shown as text").toEqual([...ALL].sort());
  expect([...linkTexts].sort()).toEqual(["click me", "data link"]);

  // The system prompt dialog of the chat shows the prompt as text too.
  await page.getByRole("button", { name: "System prompt" }).click();
  const promptDialog = page.getByRole("dialog", { name: "Project system prompt" });
  await expect(promptDialog.getByRole("textbox")).toHaveValue(systemPrompt);
  await watcher.assertInert("the system prompt dialog");
  await page.keyboard.press("Escape");

  // ---- click whatever the markdown made of the links: nothing may run, and we stay on the page.
  const here = page.url();
  const clicked = new Set<string>();
  await walkList(page, async () => {
    for (const name of ["click me", "data link", "raw anchor", ...(canSeed ? ["reference link"] : [])]) {
      // Not exact: Streamdown shows a link to a blocked URL as its text and " [blocked]" (a span, clicked too).
      const link = replies.getByText(name);
      const count = await link.count();
      for (let i = 0; i < count; i++) {
        // Rows stay rendered across a few steps of the walk: each link is clicked once.
        const message = await link.nth(i).evaluate((el) => el.closest("li[data-message-id]")?.getAttribute("data-message-id"));
        const id = `${message} ${name} ${i}`;
        if (clicked.has(id)) continue;
        clicked.add(id);
        await link.nth(i).click();
        // A link-safety prompt may open for a URL: it must not offer code to run, so leave it.
        await page.keyboard.press("Escape");
      }
    }
  });
  expect(clicked.size, "links clicked").toBeGreaterThan(0);
  expect(page.url()).toBe(here);
  await watcher.assertInert("the chat page after clicking the links");

  // ---- the other chat, reached through the sidebar.
  await sidebar.getByRole("link", { name: P.anchor }).click();
  await expect(page).toHaveURL(new RegExp(`/chats/${otherSession}$`));
  await expect(page.getByRole("heading", { level: 1, name: P.anchor })).toBeVisible();
  await watcher.assertInert("the second chat");
});
