import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createChatViaApi, registerViaApi } from "./support/api-user";

/**
 * Export → import through the browser (#14 §5): a chat saved as Markdown from its header, the whole account
 * downloaded from Settings, and that file uploaded on another account's Settings page, whose chat then holds the
 * same messages.
 */

test("export a chat and the account, then import the account file into another account", async ({ browser, baseURL }) => {
  const aliceContext = await browser.newContext({ acceptDownloads: true });
  const alice = await registerViaApi(aliceContext.request, aliceContext, baseURL!, "Alice Exporter");
  const { projectId, sessionId } = await createChatViaApi(
    aliceContext.request,
    alice,
    { project_name: "Travel notes", system_prompt: "Be brief." },
    "Lisbon trip",
  );
  const sent = await aliceContext.request.post(`/api/v1/sessions/${sessionId}/chat`, {
    headers: alice.headers,
    data: { message: "Where should I eat pastel de nata?" },
  });
  expect(sent.status()).toBe(200);
  const reply = ((await sent.json()) as { response: string }).response;

  const page = await aliceContext.newPage();
  await page.goto(`/projects/${projectId}/chats/${sessionId}`);
  await page.locator("details > summary", { hasText: "Export" }).click();
  const [markdown] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export chat (Markdown)" }).click(),
  ]);
  expect(markdown.suggestedFilename()).toMatch(/^parley-lisbon-trip-\d{4}-\d\d-\d\d\.md$/);
  const md = await readFile(await markdown.path(), "utf8");
  expect(md).toContain("# Lisbon trip");
  expect(md).toContain("Where should I eat pastel de nata?");

  await page.goto("/settings");
  const [everything] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download everything (JSON)" }).click(),
  ]);
  expect(everything.suggestedFilename()).toMatch(/^parley-export-\d{4}-\d\d-\d\d\.json$/);
  const exportPath = await everything.path();
  const exported = JSON.parse(await readFile(exportPath, "utf8")) as { format: string; projects: unknown[] };
  expect(exported).toMatchObject({ format: "parley-export", version: 1 });

  const bobContext = await browser.newContext();
  const bob = await registerViaApi(bobContext.request, bobContext, baseURL!, "Bob Importer");
  const bobPage = await bobContext.newPage();
  await bobPage.goto("/settings");
  const importForm = bobPage.getByRole("form", { name: "Import" });
  await importForm.getByLabel("File to import").setInputFiles(exportPath);
  await importForm.getByRole("button", { name: "Import", exact: true }).click();
  await expect(importForm.getByRole("status")).toContainText("Imported 1 chat and 2 messages");
  await importForm.getByRole("link", { name: "Open the project" }).click();
  await expect(bobPage.getByText("Travel notes").first()).toBeVisible();

  // Bob's copy holds the same chat: title, both messages, in order.
  const chats = await bobContext.request.get("/api/v1/sessions", { headers: bob.headers });
  const [chat] = (await chats.json()) as { id: string; title: string }[];
  expect(chat?.title).toBe("Lisbon trip");
  const history = await bobContext.request.get(`/api/v1/sessions/${chat!.id}/history`, { headers: bob.headers });
  const messages = (await history.json()) as { role: string; content: string }[];
  expect(messages.map((m) => [m.role, m.content])).toEqual([
    ["user", "Where should I eat pastel de nata?"],
    ["assistant", reply],
  ]);

  // A file that is not an export is refused with the server's sentence, and nothing more is imported.
  await bobPage.goto("/settings");
  const again = bobPage.getByRole("form", { name: "Import" });
  await again.getByLabel("File to import").setInputFiles({
    name: "notes.json",
    mimeType: "application/json",
    buffer: Buffer.from('{"hello": "world"}'),
  });
  await again.getByRole("button", { name: "Import", exact: true }).click();
  await expect(again.getByRole("alert")).toContainText("Nothing was imported");
  expect(((await (await bobContext.request.get("/api/v1/sessions", { headers: bob.headers })).json()) as unknown[]).length).toBe(
    1,
  );

  await aliceContext.close();
  await bobContext.close();
});
