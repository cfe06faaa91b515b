import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";

/** Each server (tests/e2e/server.mjs) logs to .test-tmp/e2e-<port>.log. */
const serverLog = () => path.join(process.cwd(), ".test-tmp", `e2e-${new URL(String(test.info().project.use.baseURL)).port}.log`);
const PASSWORD = "correct horse battery";

/**
 * This spec runs twice: with built-in accounts (project "chromium") and with Supabase Auth against the loopback
 * stand-in (project "supabase"), whose browser sessions are @supabase/ssr's own cookies: `sb-<ref>-auth-token`
 * (the stand-in listens on 127.0.0.1, so the ref is "127"), holding access and refresh token together.
 */
const isSupabase = () => test.info().project.name === "supabase";
const SUPABASE_COOKIE = "sb-127-auth-token";
const sessionCookiesOf = async (context: BrowserContext) =>
  (await context.cookies()).filter((c) =>
    isSupabase() ? c.name === SUPABASE_COOKIE || c.name.startsWith(`${SUPABASE_COOKIE}.`) : c.name.startsWith("parley_"),
  );

interface SupabaseSession {
  refresh_token: string;
  expires_at: number;
}
const decodeSupabaseSession = (value: string) =>
  JSON.parse(Buffer.from(value.replace(/^base64-/, ""), "base64url").toString("utf8")) as SupabaseSession;

/**
 * Makes the browser's session look expired so the next request must renew it: built-in drops the access cookie
 * (the refresh cookie remains); Supabase rewrites the stored session's `expires_at` into the past, which is
 * what @supabase/ssr checks before it refreshes. Returns the refresh token the browser held.
 */
async function expireSession(context: BrowserContext): Promise<string> {
  if (!isSupabase()) {
    const refresh = (await context.cookies()).find((c) => c.name === "parley_refresh")!;
    await context.clearCookies({ name: "parley_access" });
    return refresh.value;
  }
  const chunks = (await sessionCookiesOf(context)).sort((a, b) => a.name.localeCompare(b.name));
  const session = decodeSupabaseSession(chunks.map((c) => c.value).join(""));
  const expired = `base64-${Buffer.from(JSON.stringify({ ...session, expires_at: Math.floor(Date.now() / 1000) - 60 })).toString("base64url")}`;
  for (const chunk of chunks) await context.clearCookies({ name: chunk.name });
  await context.addCookies([{ ...chunks[0], name: SUPABASE_COOKIE, value: expired }]);
  return session.refresh_token;
}

async function refreshTokenOf(context: BrowserContext): Promise<string | undefined> {
  const cookies = await sessionCookiesOf(context);
  if (!isSupabase()) return cookies.find((c) => c.name === "parley_refresh")?.value;
  return cookies.length
    ? decodeSupabaseSession(
        cookies
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => c.value)
          .join(""),
      ).refresh_token
    : undefined;
}

async function register(page: Page, name: string): Promise<string> {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
  await page.goto("/register");
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(LANDING);
  return email;
}

/** Where a login without `next` lands (#14): a new chat in the default project. */
const LANDING = /\/projects\/[0-9a-f-]{36}\/chats\/new$/;

async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

async function logOut(page: Page) {
  await page.locator("header details summary").click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

test("register → app → reload → log out → guarded page → log in → back; another user cannot reach it", async ({ browser }) => {
  const alice = await browser.newContext();
  const page = await alice.newPage();
  const email = await register(page, "Alice");
  // A new account lands on a composer in its default project (#14); the dashboard is one link away.
  await expect(page).toHaveURL(LANDING);
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  await page.getByRole("link", { name: "All projects" }).click();
  // The chat screen has an account menu too: wait for the dashboard itself before reading it.
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("user-email")).toHaveText(email);

  await page.reload();
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Name").fill("Alice's secrets");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("link", { name: "Alice's secrets" }).click();
  await expect(page).toHaveURL(LANDING);
  const projectPath = new URL(page.url()).pathname;

  // An expired session is renewed by the proxy (from the refresh token) without a trip to the login page.
  const before = await expireSession(alice);
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`${projectPath}$`));
  await expect(page.getByText("Alice's secrets").first()).toBeVisible();
  const renewed = await refreshTokenOf(alice);
  expect(renewed).toBeTruthy();
  expect(renewed).not.toBe(before);
  const sessionCookies = await sessionCookiesOf(alice);
  expect(sessionCookies.length).toBeGreaterThan(0);
  for (const cookie of sessionCookies) {
    expect(cookie.httpOnly, cookie.name).toBe(true);
    expect(cookie.sameSite, cookie.name).toBe("Lax");
  }

  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await register(bobPage, "Bob");
  const response = await bobPage.goto(projectPath);
  expect(response?.status()).toBe(404);
  await expect(bobPage.getByText("Alice's secrets")).toHaveCount(0);
  await bob.close();

  await page.goto("/");
  await logOut(page);
  expect(await sessionCookiesOf(alice)).toHaveLength(0);
  await page.goto(projectPath);
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent(projectPath)}`);

  await logIn(page, email, "wrong password!");
  await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
  await logIn(page, email);
  await expect(page).toHaveURL(new RegExp(`${projectPath}$`));
  await expect(page.getByText("Alice's secrets").first()).toBeVisible();
  await alice.close();
});

test("field errors appear under the fields; an open redirect in next is ignored", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Full name").fill("Eve");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("different");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();
  await expect(page.getByLabel("Full name")).toHaveValue("Eve");

  const email = `eve-${randomUUID().slice(0, 8)}@example.test`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(LANDING);
  await page.goto("/");
  await logOut(page);

  // Refused, the next address falls back to the landing composer, on this server.
  await page.goto("/login?next=//evil.example/steal");
  await logIn(page, email);
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/projects/[0-9a-f-]{36}/chats/new$`));
});

test("an anonymous API call gets 401 JSON", async ({ request }) => {
  const response = await request.get("/api/v1/project");
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
});

test("password reset with the link from the server log", async ({ page }) => {
  // Built-in accounts log the link; with Supabase it is Supabase's email, which the stand-in writes to the log.
  const email = await register(page, "Carol");
  await page.goto("/");
  await logOut(page);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  // The login page has an Email field too: fill the reset form's, once the navigation has shown it.
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.locator("form").getByRole("status")).toHaveText(
    "If an account exists for this email, a reset link has been sent",
  );

  let link = "";
  await expect
    .poll(() => {
      const match = new RegExp(`password reset link for ${email.replace(/[.]/g, "\\.")}: (\\S+)`).exec(
        fs.readFileSync(serverLog(), "utf8"),
      );
      link = match?.[1] ?? "";
      return link;
    })
    .toMatch(isSupabase() ? /\/reset-password\?token_hash=/ : /\/reset-password\?token=/);

  await page.goto(new URL(link).pathname + new URL(link).search);
  await page.getByLabel("New password", { exact: true }).fill("a brand new password");
  await page.getByLabel("Confirm new password").fill("a brand new password");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);

  await logIn(page, email, PASSWORD);
  await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
  await logIn(page, email, "a brand new password");
  await expect(page).toHaveURL(LANDING);

  // The link is single-use.
  await page.goto(new URL(link).pathname + new URL(link).search);
  await page.getByLabel("New password", { exact: true }).fill("another new password");
  await page.getByLabel("Confirm new password").fill("another new password");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("This reset link is invalid, expired or already used");
});
