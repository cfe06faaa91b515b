import { getDb } from "@/lib/db/client";
import { accounts } from "@/lib/db/schema";
import { forgetAccountState } from "@/lib/accounts/state";
import { createTestUser } from "./auth";

/**
 * A test user with its account row, as sign-up makes it (createTestUser writes the user row alone; the account
 * row would otherwise appear at its first request).
 */
export async function createTestAccount(name = "Account", role: "user" | "admin" = "user") {
  const created = await createTestUser(name);
  const db = await getDb();
  await db
    .insert(accounts)
    .values({ userId: created.user.id, email: created.user.email, fullName: created.user.fullName, role })
    .onConflictDoUpdate({ target: accounts.userId, set: { role } });
  forgetAccountState(created.user.id);
  return created;
}

/** A test user who is an admin (its account row says so, as the first sign-up's or an admin's change would). */
export const createTestAdmin = (name = "Admin") => createTestAccount(name, "admin");

/** A JSON request as the routes take it. */
export function jsonRequest(url: string, method: string, headers: Record<string, string>, body?: unknown): Request {
  return new Request(`http://localhost${url}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
