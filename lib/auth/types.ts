/** The one answer the rest of the app needs from auth. */
export interface AuthUser {
  id: string;
  email: string;
  fullName: string;
}

export const ACCESS_COOKIE = "parley_access";
export const REFRESH_COOKIE = "parley_refresh";

/** A signed-in account as the auth API reports it. */
export interface AccountInfo extends AuthUser {
  createdAt: Date;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** What signup/login/refresh produce. `tokens` is null when the backend wants the email confirmed first. */
export interface AuthResult {
  user: AccountInfo;
  tokens: SessionTokens | null;
}

/**
 * The two backends (built-in, Supabase) behind one interface. Every failure is an ApiError with the answer
 * the contract asks for (401 invalid credentials, 409 email taken, 400 bad reset token).
 */
export interface AuthAdapter {
  readonly kind: "builtin" | "supabase";
  signUp(input: { email: string; password: string; fullName?: string }): Promise<AuthResult>;
  signIn(input: { email: string; password: string }): Promise<AuthResult>;
  /**
   * `reuseIntervalMs`: a token rotated less than this long ago is honoured once more (the browser fired several
   * requests as its access cookie expired); older reuse is a replay and revokes the family.
   */
  refresh(refreshToken: string, options?: { reuseIntervalMs?: number }): Promise<AuthResult>;
  /** Revokes server-side whatever the caller holds; never fails for an unknown or already revoked token. */
  signOut(input: { accessToken?: string; refreshToken?: string }): Promise<void>;
  requestPasswordReset(email: string): Promise<void>;
  confirmPasswordReset(token: string, password: string): Promise<void>;
  changePassword(user: AuthUser, currentPassword: string, newPassword: string): Promise<void>;
  /** Removes the account itself (the caller has removed the user's data first). */
  deleteAccount(user: AuthUser): Promise<void>;
  verifyAccessToken(token: string): Promise<AuthUser | null>;
}
