import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { refreshTokens } from "@/lib/db/schema";
import { hashOpaqueToken } from "@/lib/auth/builtin/opaque-token";
import { beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { createTestUser } from "../support/auth";
import { checkSession, signUpForTest } from "../support/auth-contract";

const BASE = "http://127.0.0.1:3000";
const request = (path: string, headers: Record<string, string> = {}) => new NextRequest(`${BASE}${path}`, { headers });

/** Next forwards request-header overrides to the render through this response header. */
function forwardedCookieHeader(response: Response): string | null {
  return response.headers.get("x-middleware-request-cookie");
}

beforeEach(() => resetRateLimitsForTests());

describe("proxy", () => {
  it("sends anonymous visitors of app pages to login with a next path", async () => {
    const response = await proxy(request("/projects/abc?tab=1"));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.pathname}${location.search}`).toBe(`/login?next=${encodeURIComponent("/projects/abc?tab=1")}`);
    // `/` itself introduces Parley (the welcome page links to login and sign-up); with a query it is the dashboard's.
    expect(new URL((await proxy(request("/"))).headers.get("location")!).pathname).toBe("/welcome");
    expect(new URL((await proxy(request("/?q=x"))).headers.get("location")!).pathname).toBe("/login");
  });

  it("lets public pages, health and the public API through", async () => {
    for (const path of [
      "/welcome",
      "/login",
      "/register",
      "/forgot-password",
      "/reset-password?token=x",
      "/health",
      "/api/v1/auth/login",
      "/api/v1/auth/signup/",
      "/api/v1/openapi.json",
    ]) {
      const response = await proxy(request(path));
      expect(response.headers.get("x-middleware-next"), path).toBe("1");
    }
  });

  it("answers anonymous API calls with 401 JSON, and leaves bearer calls to the handler", async () => {
    for (const path of ["/api/v1/project", "/api/v1/auth/session-check", "/api/v1/sessions/x/chat"]) {
      const response = await proxy(request(path));
      expect(response.status, path).toBe(401);
      expect(await response.json()).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
    }
    expect((await proxy(request("/api/v1/project", { authorization: "Bearer whatever" }))).headers.get("x-middleware-next")).toBe(
      "1",
    );
  });

  it("passes a valid session cookie and refuses a forged one (clearing it)", async () => {
    const { token } = await createTestUser();
    expect((await proxy(request("/", { cookie: `parley_access=${token}` }))).headers.get("x-middleware-next")).toBe("1");
    const forged = await proxy(request("/", { cookie: `parley_access=${token.slice(0, -4)}AAAA` }));
    expect(forged.status).toBe(307);
    expect(forged.headers.getSetCookie().filter((c) => /Max-Age=0/.test(c))).toHaveLength(2);
  });

  it("renews an expired access cookie from the refresh cookie, for the browser and for this render", async () => {
    const { refreshToken, id } = await signUpForTest();
    const response = await proxy(request("/projects/abc", { cookie: `parley_refresh=${refreshToken}; other=1` }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    const setCookies = response.headers.getSetCookie();
    const access = /parley_access=([^;]+)/.exec(setCookies.join("\n"))?.[1];
    expect(access).toBeTruthy();
    expect((await getAuthAdapter().verifyAccessToken(access!))?.id).toBe(id);
    expect(setCookies.some((c) => c.startsWith("parley_refresh=") && !c.includes(refreshToken))).toBe(true);
    expect(forwardedCookieHeader(response)).toContain(`parley_access=${access}`);
    expect(forwardedCookieHeader(response)).toContain("other=1");
    expect((await checkSession({ authorization: `Bearer ${access}` })).status).toBe(200);

    // Another request of the same page load, with the same (now rotated) cookie, is renewed too…
    const sibling = await proxy(request("/projects/abc", { cookie: `parley_refresh=${refreshToken}` }));
    expect(sibling.headers.get("x-middleware-next")).toBe("1");
    const siblingRefresh = /parley_refresh=([^;]+)/.exec(sibling.headers.getSetCookie().join("\n"))?.[1];
    expect(siblingRefresh).toBeTruthy();

    // …but after the reuse interval, presenting it again is a replay: refused, and the whole family revoked.
    const db = await getDb();
    await db
      .update(refreshTokens)
      .set({ rotatedAt: new Date(Date.now() - 60_000) })
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(refreshToken)));
    const replay = await proxy(request("/projects/abc", { cookie: `parley_refresh=${refreshToken}` }));
    expect(replay.status).toBe(307);
    const afterRevoke = await proxy(request("/projects/abc", { cookie: `parley_refresh=${siblingRefresh}` }));
    expect(afterRevoke.status).toBe(307);
  });
});
