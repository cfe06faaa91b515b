import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { eq, ne } from "drizzle-orm";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { resetConfigForTests } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { FIRST_ADMIN_KEY } from "@/lib/db/queries/app-settings";
import { accounts, appSettings } from "@/lib/db/schema";
import { forgetRuntimeSettings } from "@/lib/settings/runtime";
import { withSupabaseStandin } from "../support/supabase-mode";
import { signUpForTest } from "../support/auth-contract";
import { jsonRequest } from "../support/admin";

vi.mock("next/headers", () => import("../support/next-cookies"));
import * as adminUsers from "@/app/api/v1/admin/users/route";
import * as adminUser from "@/app/api/v1/admin/users/[id]/route";
import * as adminSettings from "@/app/api/v1/admin/settings/route";
import * as projectsRoute from "@/app/api/v1/project/route";

/**
 * #17 §3 with Supabase Auth (the loopback stand-in): ADMIN_EMAILS is matched against the email claim of a token
 * whose signature was verified; a disabled account's tokens stop working on its next request; accounts Parley
 * first sees under the approval policy wait.
 */
const standin = withSupabaseStandin();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

afterEach(async () => {
  delete process.env.ADMIN_EMAILS;
  resetConfigForTests();
  await (await getDb()).delete(appSettings).where(ne(appSettings.key, FIRST_ADMIN_KEY));
  forgetRuntimeSettings();
});

async function signedUpAdmin() {
  const admin = await signUpForTest("Boss");
  process.env.ADMIN_EMAILS = admin.email.toUpperCase();
  resetConfigForTests();
  return admin;
}

describe(`administrators with Supabase Auth (${inject("testDatabase").kind})`, () => {
  it("makes the ADMIN_EMAILS account an admin by its verified email claim, and nobody else", async () => {
    expect(getAuthAdapter().kind).toBe("supabase");
    const admin = await signedUpAdmin();
    const other = await signUpForTest("Someone");
    expect((await adminUsers.GET(jsonRequest("/api/v1/admin/users", "GET", bearer(admin.accessToken)))).status).toBe(200);
    const refused = await adminUsers.GET(jsonRequest("/api/v1/admin/users", "GET", bearer(other.accessToken)));
    expect(refused.status).toBe(404);
    // Not the first account either: with Supabase only ADMIN_EMAILS makes admins.
    const [row] = await (await getDb()).select().from(accounts).where(eq(accounts.userId, other.id));
    expect(row?.role).toBe("user");
    // A token for the admin's id signed with another key is refused outright (401), whatever its email says.
    const forged = await standin().signAccessToken(admin.id, {
      key: (await import("jose").then((j) => j.generateKeyPair("ES256"))).privateKey,
    });
    expect((await adminUsers.GET(jsonRequest("/api/v1/admin/users", "GET", bearer(forged)))).status).toBe(401);
  });

  it("a disabled account's tokens stop working on its next request; enabling lets it back", async () => {
    const admin = await signedUpAdmin();
    const user = await signUpForTest("To disable");
    const list = () => projectsRoute.GET(jsonRequest("/api/v1/project", "GET", bearer(user.accessToken)));
    expect((await list()).status).toBe(200);
    const disabled = await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${user.id}`, "PATCH", bearer(admin.accessToken), { status: "disabled" }),
      params(user.id),
    );
    expect(disabled.status).toBe(200);
    expect((await list()).status).toBe(401);
    expect(await getAuthAdapter().verifyAccessToken(user.accessToken)).toBeNull();
    await adminUser.PATCH(
      jsonRequest(`/api/v1/admin/users/${user.id}`, "PATCH", bearer(admin.accessToken), { status: "active" }),
      params(user.id),
    );
    expect((await list()).status).toBe(200);
  });

  it("under the approval policy, an account Parley sees for the first time waits", async () => {
    const admin = await signedUpAdmin();
    await adminUsers.GET(jsonRequest("/api/v1/admin/users", "GET", bearer(admin.accessToken)));
    expect(
      (
        await adminSettings.PATCH(
          jsonRequest("/api/v1/admin/settings", "PATCH", bearer(admin.accessToken), { signup_policy: "approval" }),
        )
      ).status,
    ).toBe(200);
    const newcomer = await signUpForTest("Newcomer");
    expect((await projectsRoute.GET(jsonRequest("/api/v1/project", "GET", bearer(newcomer.accessToken)))).status).toBe(200);
    const [row] = await (await getDb()).select().from(accounts).where(eq(accounts.userId, newcomer.id));
    expect(row?.status).toBe("pending");
  });
});
