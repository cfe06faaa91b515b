import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { ApiError, unauthorized } from "@/lib/api/errors";
import { getConfig } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { passwordResetTokens, users, type UserRow } from "@/lib/db/schema";
import { runAfter } from "@/lib/server/run-after";
import { ACCESS_TOKEN_TTL_SECONDS, readAccessToken, signAccessToken } from "./access-token";
import { accountDisabled, invalidCredentials, invalidResetToken, wrongCurrentPassword } from "@/lib/auth/errors";
import { accountStateOf, initialStatusOf, isAdminEmail } from "@/lib/accounts/state";
import { insertAccountIn } from "@/lib/db/queries/accounts";
import { claimFirstAdminIn } from "@/lib/db/queries/app-settings";
import { sendPasswordResetLink } from "./mailer";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-token";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";
import { REFRESH_TOKEN_TTL_SECONDS, rotateRefreshToken, sessionOfRefreshToken, startSession } from "./refresh-tokens";
import { endEverySessionIn, forgetSessionsOf, isSessionLive, revokeSession } from "./sessions";
import { builtinBrowserSessions } from "./builtin-browser";
import type { AuthAdapter, AuthResult, AuthUser, TokenAuth } from "@/lib/auth/types";

export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

const toUser = (row: UserRow) => ({ id: row.id, email: row.email, fullName: row.fullName, createdAt: row.createdAt });

async function findByEmail(email: string): Promise<UserRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return row;
}

async function findById(id: string): Promise<UserRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Tokens for `row`'s session: a new login's, or (`rotated`) the session a refresh token continues. */
async function sessionResult(row: UserRow, rotated?: { sessionId: string; token: string }): Promise<AuthResult> {
  const user = toUser(row);
  // Sign-in and refresh alike: a disabled account gets no session (its sessions ended when it was disabled).
  if ((await accountStateOf(user)).status === "disabled") throw accountDisabled();
  const session = rotated
    ? { sessionId: rotated.sessionId, refreshToken: rotated.token }
    : await startSession(row.id, row.tokenVersion);
  // The password this login was checked against has been changed since.
  if (!session) throw invalidCredentials();
  const { sessionId, refreshToken } = session;
  const accessToken = await signAccessToken(user, { sessionId, tokenVersion: row.tokenVersion });
  return { user, tokens: { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS } };
}

/**
 * A new password ends every session and voids every open reset link of the user, in one transaction: a link
 * sent before the change (or the one just used) must not set another password later.
 */
async function setPassword(userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
    await endEverySessionIn(tx, userId);
  });
  forgetSessionsOf(userId);
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error || (typeof current === "object" && current !== null);) {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = (current as { cause?: unknown }).cause;
    if (!current) break;
  }
  return false;
}

async function mailResetLink(email: string): Promise<void> {
  const row = await findByEmail(email);
  if (!row) return;
  const db = await getDb();
  const { token, hash } = newOpaqueToken();
  await db
    .insert(passwordResetTokens)
    .values({ userId: row.id, tokenHash: hash, expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS) });
  await sendPasswordResetLink(row.email, `${getConfig().appUrl}/reset-password?token=${encodeURIComponent(token)}`);
}

/** Accounts in our own database: scrypt hashes, HS256 access tokens, rotating opaque refresh tokens. */
const tokens: TokenAuth = {
  async signUp({ email, password, fullName }) {
    const db = await getDb();
    const passwordHash = await hashPassword(password);
    const adminByEmail = isAdminEmail(email);
    const pendingUnlessAdmin = await initialStatusOf(false);
    try {
      const row = await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(users)
          .values({ email, passwordHash, fullName: fullName ?? "" })
          .returning();
        if (!inserted) throw new Error("the new user row was not returned");
        // The first account is the admin: of two concurrent first sign-ups, one claims the marker (its unique
        // key), the other becomes a user. Claimed in this transaction, so an account never lacks its row.
        const admin = (await claimFirstAdminIn(tx, inserted.id)) || adminByEmail;
        await insertAccountIn(tx, {
          userId: inserted.id,
          email: inserted.email,
          fullName: inserted.fullName,
          role: admin ? "admin" : "user",
          status: admin ? "active" : pendingUnlessAdmin,
        });
        return inserted;
      });
      return sessionResult(row);
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
    return sessionResult(row);
  },

  async refresh(refreshToken, options) {
    const rotated = await rotateRefreshToken(refreshToken, options?.reuseIntervalMs ?? 0);
    const row = rotated.ok ? await findById(rotated.userId) : undefined;
    if (!rotated.ok || !row) throw new ApiError("unauthorized", "auth", "Refresh token is invalid, expired or already used");
    return sessionResult(row, rotated);
  },

  async signOut({ accessToken, refreshToken }) {
    // An unknown refresh token names a session that is gone (or never was): nothing is left to end.
    const fromRefresh = refreshToken === undefined ? undefined : ((await sessionOfRefreshToken(refreshToken)) ?? null);
    // A logout may name the session of an access token that has expired since.
    const fromAccess =
      accessToken === undefined
        ? undefined
        : (await readAccessToken(accessToken, { expiredForUpTo: REFRESH_TOKEN_TTL_SECONDS }))?.sessionId;
    for (const sessionId of new Set([fromRefresh, fromAccess])) if (sessionId) await revokeSession(sessionId);
    if (fromRefresh === undefined && accessToken !== undefined && !fromAccess) throw unauthorized();
  },

  async requestPasswordReset(email) {
    // Nothing that depends on the account runs before the answer: looking it up, storing a token and mailing
    // happen after the response, so neither its timing nor its status (a failing SMTP server) tells whether
    // the email has an account.
    runAfter(() => mailResetLink(email), "sending a password reset email");
  },

  async confirmPasswordReset(token, password) {
    const db = await getDb();
    // Claiming the token (used_at IS NULL and not expired) in one statement makes it single-use under races.
    const [claimed] = await db
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, hashOpaqueToken(token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, new Date()),
        ),
      )
      .returning({ userId: passwordResetTokens.userId });
    if (!claimed) throw invalidResetToken();
    await setPassword(claimed.userId, password);
  },

  async changePassword(user: AuthUser, currentPassword, newPassword) {
    const row = await findById(user.id);
    if (!row || !(await verifyPassword(currentPassword, row.passwordHash))) throw wrongCurrentPassword();
    await setPassword(user.id, newPassword);
  },

  async deleteAccount(user) {
    const db = await getDb();
    // Sessions, refresh tokens and reset tokens cascade with the row; with the row gone, no token verifies.
    await db.delete(users).where(eq(users.id, user.id));
    forgetSessionsOf(user.id);
  },

  async verifyAccessToken(token) {
    const claims = await readAccessToken(token);
    if (!claims || !(await isSessionLive(claims.sessionId, claims.user.id, claims.tokenVersion))) return null;
    // Disabling also ends every session; this check covers the instant in between (both are cached alike).
    if ((await accountStateOf(claims.user)).status === "disabled") return null;
    return claims.user;
  },
};

export const builtinAdapter: AuthAdapter = { ...tokens, kind: "builtin", browser: builtinBrowserSessions(tokens) };
