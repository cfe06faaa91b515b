import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { generateKeyPair } from "jose";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { forgotPasswordAction, loginAction, logoutAction, registerAction, resetPasswordAction } from "@/lib/auth/actions";
import { changePasswordAction, deleteAccountAction } from "@/lib/auth/account-actions";
import { POST as createProject } from "@/app/api/v1/project/route";
import { POST as refresh } from "@/app/api/v1/auth/refresh/route";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { getCurrentUser } from "@/lib/auth/server";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { createProjectFor, listProjectsOf } from "@/lib/projects/service";
import { withSupabaseStandin } from "../support/supabase-mode";
import { postJson } from "../support/auth-contract";
import { LANDING_PATH } from "@/lib/auth/next-path";
import { form, redirectsTo } from "../support/server-actions";
import { authCookieJar, cookieWrites } from "../support/auth-next-headers";

/**
 * Supabase mode in the browser: sessions are @supabase/ssr's own cookies (sb-<ref>-auth-token), written by the
 * real library on sign-in/refresh/sign-out, against the loopback Supabase Auth stand-in. next/headers is the
 * only thing replaced (a writable cookie jar), because server actions run outside a Next request here.
 */
vi.mock("next/headers", () => import("../support/auth-next-headers"));

const BASE = "http://127.0.0.1:3000";
const PASSWORD = "correct horse battery";
/** supabase-js's storage key for a project at 127.0.0.1: "sb-" + the host's first label + "-auth-token". */
const SESSION_COOKIE = "sb-127-auth-token";

const cookieHeader = () => [...authCookieJar].map(([name, value]) => `${name}=${value}`).join("; ");
const sessionCookieNames = () =>
  [...authCookieJar.keys()].filter((name) => name === SESSION_COOKIE || name.startsWith(`${SESSION_COOKIE}.`)).sort();

interface StoredSession {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  user: { id: string; email: string };
}

/** The session @supabase/ssr stored: "base64-" + base64url(JSON), possibly split into `.0`, `.1`… chunks. */
function decodeSession(value: string): StoredSession {
  expect(value.startsWith("base64-")).toBe(true);
  return JSON.parse(Buffer.from(value.slice("base64-".length), "base64url").toString("utf8")) as StoredSession;
}
const encodeSession = (session: StoredSession) => `base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`;

function storedSession(): StoredSession {
  const names = sessionCookieNames();
  expect(names.length).toBeGreaterThan(0);
  return decodeSession(names.map((name) => authCookieJar.get(name)).join(""));
}

function sessionFromSetCookies(response: Response): StoredSession {
  const values = response.headers
    .getSetCookie()
    .map((c) => /^([^=]+)=([^;]*)/.exec(c)!)
    .filter(([, name, value]) => (name === SESSION_COOKIE || name.startsWith(`${SESSION_COOKIE}.`)) && value !== "")
    .sort(([, a], [, b]) => a.localeCompare(b))
    .map(([, , value]) => decodeURIComponent(value));
  expect(values.length).toBeGreaterThan(0);
  return decodeSession(values.join(""));
}

async function register(fullName = "Ada Lovelace") {
  const email = `ssr-${randomUUID()}@example.test`;
  await expect(
    registerAction({}, form({ full_name: fullName, email, password: PASSWORD, confirm: PASSWORD, next: "/projects" })),
  ).rejects.toEqual(redirectsTo("/projects"));
  return email;
}

const proxyRequest = (path: string, cookie = cookieHeader()) => new NextRequest(`${BASE}${path}`, { headers: { cookie } });

const standin = withSupabaseStandin();

beforeEach(() => resetRateLimitsForTests());
afterEach(() => {
  authCookieJar.clear();
  cookieWrites.length = 0;
  standin().accessTokenTtlSeconds = 3600;
});

describe("Supabase sessions through @supabase/ssr (server actions)", () => {
  it("register writes Supabase's own httpOnly session cookie and getCurrentUser reads the user from its claims", async () => {
    expect(getAuthAdapter().kind).toBe("supabase");
    const email = await register("Ada Lovelace");
    const write = cookieWrites.find((w) => w.name.startsWith(SESSION_COOKIE) && w.value !== "");
    expect(write?.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: false });
    expect(Number(write?.options.maxAge)).toBeGreaterThan(0);
    expect([...authCookieJar.keys()].some((name) => name.startsWith("parley_"))).toBe(false);

    const session = storedSession();
    expect(session.user.email).toBe(email);
    const user = await getCurrentUser();
    expect(user).toEqual({ id: session.user.id, email, fullName: "Ada Lovelace" });
    // Nothing of this account is in our own users table: rows are keyed by the Supabase user id.
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it("login writes a new session; a wrong password writes none", async () => {
    const email = await register();
    authCookieJar.clear();
    expect(await getCurrentUser()).toBeNull();
    expect(await loginAction({}, form({ email, password: "not the password" }))).toEqual({
      values: { email },
      formError: "Invalid email or password",
    });
    expect(sessionCookieNames()).toEqual([]);
    await expect(loginAction({}, form({ email, password: PASSWORD, next: "/projects/x" }))).rejects.toEqual(
      redirectsTo("/projects/x"),
    );
    expect((await getCurrentUser())?.email).toBe(email);
  });

  it("logout ends the session at Supabase and clears the cookies", async () => {
    await register();
    const { refresh_token: refreshToken } = storedSession();
    await expect(logoutAction()).rejects.toEqual(redirectsTo("/login"));
    expect(sessionCookieNames()).toEqual([]);
    expect(await getCurrentUser()).toBeNull();
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);
  });

  it("password reset: the request goes to Supabase, the link's token_hash sets the password and ends every session", async () => {
    const email = await register();
    const { refresh_token: oldRefresh } = storedSession();
    authCookieJar.clear();
    expect(await forgotPasswordAction({}, form({ email }))).toMatchObject({ message: expect.stringContaining("reset link") });
    const tokenHash = standin().recoveries.get(email);
    expect(tokenHash).toBeDefined();
    await expect(
      resetPasswordAction({}, form({ token: tokenHash!, password: "brand new password", confirm: "brand new password" })),
    ).rejects.toEqual(redirectsTo("/login?reset=1"));
    // The recovery session was only for setting the password: no session is left in the browser, and none elsewhere.
    expect(sessionCookieNames()).toEqual([]);
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: oldRefresh })).status).toBe(401);
    expect(await loginAction({}, form({ email, password: PASSWORD }))).toMatchObject({ formError: "Invalid email or password" });
    await expect(loginAction({}, form({ email, password: "brand new password" }))).rejects.toEqual(redirectsTo(LANDING_PATH));
    // Single use.
    authCookieJar.clear();
    expect(
      await resetPasswordAction({}, form({ token: tokenHash!, password: "another password!", confirm: "another password!" })),
    ).toMatchObject({
      formError: "This reset link is invalid, expired or already used",
    });
  });

  it("change password needs the current one, ends every session and clears this browser's cookies", async () => {
    const email = await register();
    const { refresh_token: refreshToken } = storedSession();
    expect(
      await changePasswordAction(
        {},
        form({ current_password: "not it at all", password: "new password 123", confirm: "new password 123" }),
      ),
    ).toMatchObject({
      fieldErrors: { current_password: "The current password is not correct" },
    });
    await expect(
      changePasswordAction({}, form({ current_password: PASSWORD, password: "new password 123", confirm: "new password 123" })),
    ).rejects.toEqual(redirectsTo("/login?reset=1"));
    expect(sessionCookieNames()).toEqual([]);
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);
    await expect(loginAction({}, form({ email, password: "new password 123" }))).rejects.toEqual(redirectsTo(LANDING_PATH));
  });
  it("delete account removes the user's data by Supabase id and ends this browser's session", async () => {
    const email = await register();
    const { user, refresh_token: refreshToken } = storedSession();
    await createProjectFor(user.id, { project_name: "Mine" });
    await expect(deleteAccountAction({}, form({ confirm_email: email }))).rejects.toEqual(redirectsTo("/login"));
    expect((await listProjectsOf(user.id)).items).toHaveLength(0);
    expect(sessionCookieNames()).toEqual([]);
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken })).status).toBe(401);
  });

  it("#12 after deleting the account, a token issued before cannot write, and other devices' sessions end", async () => {
    const email = await register();
    const { user } = storedSession();
    const elsewhere = (await (await postJson(login, "/api/v1/auth/login", { email, password: PASSWORD })).json()).token;
    await expect(deleteAccountAction({}, form({ confirm_email: email }))).rejects.toEqual(redirectsTo("/login"));
    const write = await postJson(
      createProject,
      "/api/v1/project",
      { project_name: "After deletion" },
      { authorization: `Bearer ${elsewhere.access_token}` },
    );
    expect(write.status).toBe(401);
    expect((await listProjectsOf(user.id)).items).toHaveLength(0);
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: elsewhere.refresh_token })).status).toBe(401);
  });
});

describe("proxy in Supabase mode (getClaims)", () => {
  it("lets a valid session through without rewriting its cookies", async () => {
    await register();
    const response = await proxy(proxyRequest("/projects/abc"));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("renews an expired session through getClaims: new sb cookies for the browser and for this render", async () => {
    standin().accessTokenTtlSeconds = -60;
    const email = await register();
    standin().accessTokenTtlSeconds = 3600;
    const expired = storedSession();
    expect(expired.expires_at * 1000).toBeLessThan(Date.now());
    const grants = standin().refreshGrants;

    const response = await proxy(proxyRequest("/projects/abc", `${cookieHeader()}; theme=dark`));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(standin().refreshGrants).toBe(grants + 1);
    const renewed = sessionFromSetCookies(response);
    expect(renewed.refresh_token).not.toBe(expired.refresh_token);
    expect(renewed.access_token).not.toBe(expired.access_token);
    expect(renewed.expires_at * 1000).toBeGreaterThan(Date.now());
    expect(await getAuthAdapter().verifyAccessToken(renewed.access_token)).toMatchObject({ email });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith(SESSION_COOKIE))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    // Responses that set a session must not be cached for anyone else.
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    // The page renders with the renewed cookie (Next forwards request-cookie overrides in this header).
    const forwarded = response.headers.get("x-middleware-request-cookie") ?? "";
    expect(forwarded).toContain("theme=dark");
    expect(forwarded).toContain(encodeSession(renewed).slice(0, 40));

    // The expired session's refresh token was used up: the old cookie alone cannot be renewed again later.
    expect((await postJson(refresh, "/api/v1/auth/refresh", { refresh_token: expired.refresh_token })).status).toBe(401);
  });

  it("redirects (pages) or answers 401 (API) for a forged session cookie, and clears it", async () => {
    await register();
    const session = storedSession();
    const other = await generateKeyPair("ES256");
    const forged = encodeSession({
      ...session,
      access_token: await standin().signAccessToken(session.user.id, { key: other.privateKey }),
    });
    const foreignIssuer = encodeSession({
      ...session,
      access_token: await standin().signAccessToken(session.user.id, { issuer: "https://evil.example/auth/v1" }),
    });
    const wrongAudience = encodeSession({
      ...session,
      access_token: await standin().signAccessToken(session.user.id, { audience: "anon" }),
    });
    for (const [name, value] of Object.entries({ forged, foreignIssuer, wrongAudience })) {
      const page = await proxy(proxyRequest("/projects/abc", `${SESSION_COOKIE}=${value}`));
      expect(page.status, name).toBe(307);
      expect(new URL(page.headers.get("location")!).pathname, name).toBe("/login");
      expect(
        page.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=;`) && /Max-Age=0/i.test(c)),
        name,
      ).toBe(true);
      const api = await proxy(proxyRequest("/api/v1/project", `${SESSION_COOKIE}=${value}`));
      expect(api.status, name).toBe(401);
      expect(await api.json()).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
    }
  });

  it("treats garbage in the session cookie as no session", async () => {
    for (const value of [
      "garbage",
      "base64-bm90IGpzb24",
      `base64-${Buffer.from(JSON.stringify({ access_token: "a.b.c" })).toString("base64url")}`,
    ]) {
      const page = await proxy(proxyRequest("/", `${SESSION_COOKIE}=${value}`));
      expect(page.status, value).toBe(307);
      const api = await proxy(proxyRequest("/api/v1/sessions", `${SESSION_COOKIE}=${value}`));
      expect(api.status, value).toBe(401);
    }
  });
});

describe("route handlers in Supabase mode", () => {
  const create = (headers: Record<string, string>) =>
    createProject(
      new Request(`${BASE}/api/v1/project`, {
        method: "POST",
        headers: { "content-type": "application/json", host: "127.0.0.1:3000", ...headers },
        body: JSON.stringify({ project_name: "Keyed by the Supabase id" }),
      }),
    );

  it("accept the sb session cookie from our own origin only, and key rows by the Supabase user id", async () => {
    await register();
    const { user } = storedSession();
    const cookie = cookieHeader();
    expect((await create({ cookie, origin: "https://evil.example" })).status).toBe(403);
    expect((await create({ cookie: `${SESSION_COOKIE}=garbage`, origin: BASE })).status).toBe(401);
    expect((await create({ cookie, origin: BASE })).status).toBe(201);
    expect((await listProjectsOf(user.id)).items.map((p) => p.project_name)).toEqual(["Keyed by the Supabase id"]);
  });
});
