import { expect, test } from "@playwright/test";
import { registerViaApi } from "./support/api-user";

test("health reports the embedded database as ok", async ({ request }) => {
  const response = await request.get("/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "healthy", database: "ok" });
});

test("the app renders in Chromium; an anonymous visitor of / lands on the welcome page, which leads in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page).toHaveTitle("Welcome · Parley");
  // What Parley is, in a sentence, and the two ways in.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chat with AI models, on your own server.");
  await expect(page.getByText(/Parley is a self-hosted chat/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign up" })).toHaveAttribute("href", "/register");
  await page.getByRole("link", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  // Any other page still asks for a login and comes back to it afterwards.
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
});

test("a signed-in visitor of the welcome page goes to the dashboard", async ({ page, request, context, baseURL }) => {
  await registerViaApi(request, context, baseURL!);
  await page.goto("/welcome");
  await expect(page).toHaveURL(/:\d+\/$/);
  await page.goto("/");
  await expect(page).toHaveURL(/:\d+\/$/);
});
