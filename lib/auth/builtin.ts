import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { ApiError } from "@/lib/api/errors";
import { getConfig } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { passwordResetTokens, users, type UserRow } from "@/lib/db/schema";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken } from "./access-token";
import { invalidCredentials, invalidResetToken, wrongCurrentPassword } from "./errors";
import { sendPasswordResetLink } from "./mailer";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-token";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";
import { issueRefreshToken, revokeAllOfUser, revokeFamilyOfToken, rotateRefreshToken } from "./refresh-tokens";
import { builtinBrowserSessions } from "./builtin-browser";
import type { AuthAdapter, AuthResult, AuthUser, TokenAuth } from "./types";

export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

const toUser = (row: UserRow) => ({ id: row.id, email: row.email, fullName: row.fullName, createdAt: row.createdAt });

async function findByEmail(email: string): Promise<UserRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).limit(1);
  return row;
}

async function findById(id: string): Promise<UserRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

async function startSession(row: UserRow, refreshToken?: string): Promise<AuthResult> {
  const user = toUser(row);
  return {
    user,
    tokens: { accessToken: await signAccessToken(user), refreshToken: refreshToken ?? (await issueRefreshToken(row.id)), expiresIn: ACCESS_TOKEN_TTL_SECONDS },
  };
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error || (typeof current === "object" && current !== null); ) {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = (current as { cause?: unknown }).cause;
    if (!current) break;
  }
  return false;
}

/** Accounts in our own database: scrypt hashes, HS256 access tokens, rotating opaque refresh tokens. */
const tokens: TokenAuth = {
  async signUp({ email, password, fullName }) {
    const db = await getDb();
    const passwordHash = await hashPassword(password);
    try {
      const [row] = await db.insert(users).values({ email, passwordHash, fullName: fullName ?? "" }).returning();
      return startSession(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError("conflict", "auth", "An account with this email already exists");
      throw error;
    }
  },

  async signIn({ email, password }) {
    const row = await findByEmail(email);
    if (!row) {
      await burnPasswordCheck(password);
      throw invalidCredentials();
    }
    if (!(await verifyPassword(password, row.passwordHash))) throw invalidCredentials();
    return startSession(row);
  },

  async refresh(refreshToken, options) {
    const rotated = await rotateRefreshToken(refreshToken, options?.reuseIntervalMs ?? 0);
    const row = rotated.ok ? await findById(rotated.userId) : undefined;
    if (!rotated.ok || !row) throw new ApiError("unauthorized", "auth", "Refresh token is invalid, expired or already used");
    return startSession(row, rotated.token);
  },

  async signOut({ refreshToken }) {
    if (refreshToken) await revokeFamilyOfToken(refreshToken);
  },

  async requestPasswordReset(email) {
    const row = await findByEmail(email);
    if (!row) return;
    const db = await getDb();
    const { token, hash } = newOpaqueToken();
    await db.insert(passwordResetTokens).values({ userId: row.id, tokenHash: hash, expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS) });
    await sendPasswordResetLink(row.email, `${getConfig().appUrl}/reset-password?token=${encodeURIComponent(token)}`);
  },

  async confirmPasswordReset(token, password) {
    const db = await getDb();
    // Claiming the token (used_at IS NULL and not expired) in one statement makes it single-use under races.
    const [claimed] = await db
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResetTokens.tokenHash, hashOpaqueToken(token)), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, new Date())))
      .returning({ userId: passwordResetTokens.userId });
    if (!claimed) throw invalidResetToken();
    await db.update(users).set({ passwordHash: await hashPassword(password), updatedAt: new Date() }).where(eq(users.id, claimed.userId));
    await revokeAllOfUser(claimed.userId);
  },

  async changePassword(user: AuthUser, currentPassword, newPassword) {
    const row = await findById(user.id);
    if (!row || !(await verifyPassword(currentPassword, row.passwordHash))) throw wrongCurrentPassword();
    const db = await getDb();
    await db.update(users).set({ passwordHash: await hashPassword(newPassword), updatedAt: new Date() }).where(eq(users.id, user.id));
    await revokeAllOfUser(user.id);
  },

  async deleteAccount(user) {
    const db = await getDb();
    // refresh_tokens and password_reset_tokens cascade with the row.
    await db.delete(users).where(eq(users.id, user.id));
  },

  verifyAccessToken,
};

export const builtinAdapter: AuthAdapter = { ...tokens, kind: "builtin", browser: builtinBrowserSessions(tokens) };
