import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { loginAction, logoutAction, registerAction, resetPasswordAction } from "@/lib/auth/actions";
import { changePasswordAction, deleteAccountAction } from "@/lib/auth/account-actions";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { createProjectFor, listProjectsOf } from "@/lib/projects/service";
import { createTestUser } from "../support/auth";
import { LANDING_PATH } from "@/lib/auth/next-path";
import { form, redirectsTo } from "../support/server-actions";
import { authCookieJar, cookieWrites } from "../support/auth-next-headers";

vi.mock("next/headers", () => import("../support/auth-next-headers"));

const PASSWORD = "correct horse battery";

beforeEach(() => resetRateLimitsForTests());
afterEach(() => {
  authCookieJar.clear();
  cookieWrites.length = 0;
});

async function register(next = "") {
  const email = `action-${randomUUID()}@example.test`;
  await expect(
    registerAction({}, form({ full_name: "Ada", email, password: PASSWORD, confirm: PASSWORD, next })),
  ).rejects.toEqual(redirectsTo(next || LANDING_PATH));
  return email;
}

describe("auth server actions", () => {
  it("register sets httpOnly Lax session cookies and redirects to a safe next", async () => {
    await register("/projects/x?y=1");
    const access = cookieWrites.find((w) => w.name === "parley_access");
    expect(access?.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", maxAge: 900, secure: false });
    expect(authCookieJar.has("parley_refresh")).toBe(true);
  });

  it("register returns field errors and keeps what was typed (never the password)", async () => {
    const state = await registerAction({}, form({ full_name: "", email: "nope", password: "short", confirm: "other" }));
    expect(state.fieldErrors).toMatchObject({
      email: "Enter a valid email address",
      password: "Password must be at least 8 characters",
      full_name: expect.any(String),
    });
    expect(state.values).toEqual({ email: "nope", full_name: "" });
    const mismatch = await registerAction(
      {},
      form({ full_name: "A", email: "a@example.test", password: PASSWORD, confirm: "different password" }),
    );
    expect(mismatch.fieldErrors).toEqual({ confirm: "The passwords do not match" });
  });

  it("login refuses wrong passwords with a form error and ignores an open-redirect next", async () => {
    const email = await register();
    authCookieJar.clear();
    const wrong = await loginAction({}, form({ email, password: "wrong password" }));
    expect(wrong).toEqual({ values: { email }, formError: "Invalid email or password" });
    await expect(loginAction({}, form({ email, password: PASSWORD, next: "//evil.example" }))).rejects.toEqual(
      redirectsTo(LANDING_PATH),
    );
    await expect(loginAction({}, form({ email, password: PASSWORD, next: "https://evil.example" }))).rejects.toEqual(
      redirectsTo(LANDING_PATH),
    );
  });

  it("logout revokes the refresh token server-side and clears the cookies", async () => {
    await register();
    const refresh = authCookieJar.get("parley_refresh")!;
    await expect(logoutAction()).rejects.toEqual(redirectsTo("/login"));
    expect(authCookieJar.size).toBe(0);
    const { rotateRefreshToken } = await import("@/lib/auth/builtin/refresh-tokens");
    expect((await rotateRefreshToken(refresh)).ok).toBe(false);
  });

  it("reset-password action refuses a bad token without changing anything", async () => {
    const state = await resetPasswordAction({}, form({ token: "bogus-token", password: PASSWORD, confirm: PASSWORD }));
    expect(state.formError).toBe("This reset link is invalid, expired or already used");
  });
});

describe("settings actions", () => {
  it("change password needs the current one, then ends every session", async () => {
    const email = await register();
    const refresh = authCookieJar.get("parley_refresh")!;
    const wrong = await changePasswordAction(
      {},
      form({ current_password: "not it at all", password: "new password 123", confirm: "new password 123" }),
    );
    expect(wrong.fieldErrors).toEqual({ current_password: "The current password is not correct" });
    await expect(
      changePasswordAction({}, form({ current_password: PASSWORD, password: "new password 123", confirm: "new password 123" })),
    ).rejects.toEqual(redirectsTo("/login?reset=1"));
    const { rotateRefreshToken } = await import("@/lib/auth/builtin/refresh-tokens");
    expect((await rotateRefreshToken(refresh)).ok).toBe(false);
    await expect(loginAction({}, form({ email, password: "new password 123" }))).rejects.toEqual(redirectsTo(LANDING_PATH));
  });

  it("delete account needs the typed email, then removes the projects and the user", async () => {
    const { user, token } = await createTestUser("Doomed");
    const bystander = await createTestUser("Bystander");
    await createProjectFor(user.id, { project_name: "Mine" });
    await createProjectFor(bystander.user.id, { project_name: "Theirs" });
    authCookieJar.set("parley_access", token);

    const refused = await deleteAccountAction({}, form({ confirm_email: "someone-else@example.test" }));
    expect(refused.fieldErrors).toEqual({ confirm_email: "Type your email exactly to confirm" });
    expect((await listProjectsOf(user.id)).items).toHaveLength(1);

    await expect(deleteAccountAction({}, form({ confirm_email: user.email.toUpperCase() }))).rejects.toEqual(
      redirectsTo("/login"),
    );
    expect((await listProjectsOf(user.id)).items).toHaveLength(0);
    expect((await listProjectsOf(bystander.user.id)).items).toHaveLength(1);
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
    expect(authCookieJar.size).toBe(0);
  });

  it("refuses anonymous callers with a redirect to login", async () => {
    await expect(deleteAccountAction({}, form({ confirm_email: "x@example.test" }))).rejects.toEqual(
      redirectsTo("/login?next=%2Fsettings"),
    );
  });
});

describe("#12 one login budget per process", () => {
  it("the REST login route and the login action draw on the same per-email budget, even as separate bundles", async () => {
    const email = await register();
    authCookieJar.clear();
    // Next bundles route handlers and server actions separately, each with its own copy of lib/; a fresh module
    // graph for the route stands in for that.
    vi.resetModules();
    const { POST: restLogin } = await import("@/app/api/v1/auth/login/route");
    const viaRest = (password: string) =>
      restLogin(
        new Request("http://127.0.0.1:3000/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json", host: "127.0.0.1:3000" },
          body: JSON.stringify({ email, password }),
        }),
      );
    for (let i = 0; i < 3; i++) expect((await viaRest("wrong password")).status).toBe(401);
    for (let i = 0; i < 2; i++)
      expect(await loginAction({}, form({ email, password: "wrong password" }))).toEqual({
        values: { email },
        formError: "Invalid email or password",
      });
    // Five failures in all: the right password now waits on both paths.
    expect(await loginAction({}, form({ email, password: PASSWORD }))).toEqual({
      values: { email },
      formError: "Too many attempts. Please wait and try again.",
    });
    expect((await viaRest(PASSWORD)).status).toBe(429);
  });
});
