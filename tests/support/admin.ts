import { getDb } from "@/lib/db/client";
import { accounts } from "@/lib/db/schema";
import { forgetAccountState } from "@/lib/accounts/state";
import { createTestUser } from "./auth";

/** A test user who is an admin (its account row says so, as the first sign-up's or an admin's change would). */
export async function createTestAdmin(name = "Admin") {
  const admin = await createTestUser(name);
  const db = await getDb();
  await db
    .insert(accounts)
    .values({ userId: admin.user.id, email: admin.user.email, fullName: admin.user.fullName, role: "admin" })
    .onConflictDoUpdate({ target: accounts.userId, set: { role: "admin" } });
  forgetAccountState(admin.user.id);
  return admin;
}

/** A JSON request as the routes take it. */
export function jsonRequest(url: string, method: string, headers: Record<string, string>, body?: unknown): Request {
  return new Request(`http://localhost${url}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
