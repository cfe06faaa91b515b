import { expect, type APIRequestContext, type Browser, type Locator, type Page } from "@playwright/test";
import type { ApiUser } from "./api-user";

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

/** The user's email, as the server knows it (the API helpers make a random one). */
export async function emailOf(request: APIRequestContext, user: ApiUser): Promise<string> {
  const check = await request.get("/api/v1/auth/session-check", { headers: user.headers });
  return ((await check.json()) as { email: string }).email;
}

/** The user's row on /admin, found with the page's search. */
export async function searchUserRow(admin: Page, email: string): Promise<Locator> {
  await admin.getByLabel("Search email or name").fill(email);
  await admin.getByRole("button", { name: "Search" }).click();
  return admin.getByTestId(`admin-user-${email}`);
}
