import { expect, test } from "@playwright/test";
import { createChatViaApi, registerViaApi } from "./support/api-user";

/**
 * A send refused by the per-user message limit (429 `rate_limited:chat`) reads as a sentence on the chat screen,
 * not as raw JSON, and the screen goes back to how it was: the refused message is not shown as sent (it was not
 * stored), and its text is back in the box for later.
 */
test("a rate-limited send shows the server's sentence and gives the text back", async ({ page, request, context, baseURL }) => {
  const user = await registerViaApi(request, context, baseURL!);
  const { projectId, sessionId } = await createChatViaApi(request, user, { project_name: "Busy" });

  // Spend the user's budget (RATE_LIMIT_MESSAGES_PER_MINUTE, default 20) through the REST API: sent at once,
  // one is answered and the others meet the chat's lease (409), but every attempt counts against the limit.
  const attempts = await Promise.all(
    Array.from({ length: 20 }, () =>
      request.post(`/api/v1/sessions/${sessionId}/chat`, { headers: user.headers, data: { message: "burst" } }),
    ),
  );
  const statuses = attempts.map((r) => r.status());
  expect(statuses.every((s) => s === 200 || s === 409 || s === 429)).toBe(true);
  const limited = await request.post(`/api/v1/sessions/${sessionId}/chat`, {
    headers: user.headers,
    data: { message: "one more" },
  });
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  const history = await request.get(`/api/v1/sessions/${sessionId}/history?limit=100`, { headers: user.headers });
  const storedBefore = ((await history.json()) as unknown[]).length;

  await page.goto(`/projects/${projectId}/chats/${sessionId}`);
  const log = page.getByRole("log", { name: "Messages" });
  await expect(log.locator("> ol > li")).toHaveCount(storedBefore);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("Are you still there?");
  await box.press("Enter");

  await expect(
    page.getByText(/^You are sending messages faster than this server allows\. Try again in \d+ seconds?\.$/),
  ).toBeVisible();
  await expect(page.getByText(/rate_limited|"detail"|\{"/)).toHaveCount(0);
  await expect(box).toHaveValue("Are you still there?");
  await expect(log.locator("> ol > li")).toHaveCount(storedBefore);
  await expect(log.getByText("Are you still there?")).toHaveCount(0);
  await expect(page.getByRole("status", { name: "The assistant is writing" })).toHaveCount(0);
  // No failure banner under the last reply either: the refusal is not a failed reply.
  await expect(log.getByRole("alert")).toHaveCount(0);
});
