import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { signAccessToken } from "@/lib/auth/access-token";
import type { AuthUser } from "@/lib/auth/types";

/** A real user row and a real access token for it, for tests of everything above auth. */
export async function createTestUser(name = "Test User"): Promise<{ user: AuthUser; token: string; headers: Record<string, string> }> {
  const db = await getDb();
  const email = `user-${randomUUID()}@example.test`;
  const [row] = await db.insert(users).values({ email, passwordHash: "not-a-real-hash", fullName: name }).returning();
  const user = { id: row.id, email: row.email, fullName: row.fullName };
  const token = await signAccessToken(user);
  return { user, token, headers: { authorization: `Bearer ${token}` } };
}
