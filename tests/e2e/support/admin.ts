import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

/** The admin of the e2e server: ADMIN_EMAILS names this account (tests/e2e/server.mjs). */
const ADMIN_EMAIL = "e2e-admin@example.test";
const PASSWORD = "a long enough password";

async function adminToken(request: APIRequestContext): Promise<string> {
  const signup = await request.post("/api/v1/auth/signup", { data: { email: ADMIN_EMAIL, password: PASSWORD } });
  const answer =
    signup.status() === 201
      ? signup
      : await request.post("/api/v1/auth/login", { data: { email: ADMIN_EMAIL, password: PASSWORD } });
  expect(answer.ok()).toBe(true);
  return ((await answer.json()) as { token: { access_token: string } }).token.access_token;
}

/** A second browser, signed in as the admin, on /admin. */
export async function adminPage(browser: Browser, request: APIRequestContext, baseURL: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addCookies([
    { name: "parley_access", value: await adminToken(request), url: baseURL, httpOnly: true, sameSite: "Lax" },
  ]);
  const page = await context.newPage();
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  return page;
}
