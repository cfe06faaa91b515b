import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { signAccessToken } from "@/lib/auth/builtin/access-token";
import { startSession } from "@/lib/auth/builtin/refresh-tokens";
import type { AuthUser } from "@/lib/auth/types";

/** A real user row with a real session and an access token for it, for tests of everything above auth. */
export async function createTestUser(
  name = "Test User",
): Promise<{ user: AuthUser; token: string; headers: Record<string, string> }> {
  const db = await getDb();
  const email = `user-${randomUUID()}@example.test`;
  const [row] = await db.insert(users).values({ email, passwordHash: "not-a-real-hash", fullName: name }).returning();
  const user = { id: row.id, email: row.email, fullName: row.fullName };
  const session = await startSession(row.id, row.tokenVersion);
  if (!session) throw new Error("a brand-new user has no other token version");
  const { sessionId } = session;
  const token = await signAccessToken(user, { sessionId, tokenVersion: row.tokenVersion });
  return { user, token, headers: { authorization: `Bearer ${token}` } };
}
