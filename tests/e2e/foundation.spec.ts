import { expect, test } from "@playwright/test";

test("health reports the embedded database as ok", async ({ request }) => {
  const response = await request.get("/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "healthy", database: "ok" });
});

test("the app renders in Chromium; an anonymous visitor lands on the login page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page).toHaveTitle(/Parley/);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
});
