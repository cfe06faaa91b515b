import type { NextRequest, NextResponse } from "next/server";

/** The one answer the rest of the app needs from auth. */
export interface AuthUser {
  id: string;
  email: string;
  fullName: string;
}

/** The built-in adapter's session cookies (Supabase mode uses Supabase's own `sb-<ref>-auth-token`). */
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
 * Token sessions for the REST API (stateless: the caller holds the tokens). Every failure is an ApiError with
 * the answer the contract asks for (401 invalid credentials, 409 email taken, 400 bad reset token).
 */
export interface TokenAuth {
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
  /** Checks the current password, sets the new one and ends every session of the user. */
  changePassword(user: AuthUser, currentPassword: string, newPassword: string): Promise<void>;
  /** Removes the account itself (the caller has removed the user's data first). */
  deleteAccount(user: AuthUser): Promise<void>;
  verifyAccessToken(token: string): Promise<AuthUser | null>;
}

/** What the proxy learnt about the browser's session, and how to answer with the cookies it renewed. */
export interface ProxySession {
  user: AuthUser | null;
  /** Continues to the page (no argument) or sends `response`, carrying every cookie the session set or cleared. */
  respond(response?: NextResponse): NextResponse;
}

/**
 * The browser's session, kept in cookies: pages and server actions (through next/headers), the UI's route
 * handlers and the proxy. Sign-up/in store the session in the cookies, sign-out clears them.
 */
export interface BrowserSessions {
  signUp(input: { email: string; password: string; fullName?: string }): Promise<AuthResult>;
  signIn(input: { email: string; password: string }): Promise<AuthResult>;
  /** Revokes the session the cookies hold (if it is still valid) and clears them. */
  signOut(): Promise<void>;
  requestPasswordReset(email: string): Promise<void>;
  confirmPasswordReset(token: string, password: string): Promise<void>;
  /** Server components and actions: the user of the request's session cookies. */
  currentUser(): Promise<AuthUser | null>;
  /** Whether a request carries this adapter's session cookie (cookie-authenticated calls get the CSRF check). */
  hasSessionCookie(request: Request): boolean;
  /** Route handlers: the user of the request's session cookie. */
  requestUser(request: Request): Promise<AuthUser | null>;
  proxy(request: NextRequest): Promise<ProxySession>;
  /**
   * Built-in accounts only: the REST API's signup/login/refresh/logout also set or clear the session cookies.
   * Supabase's REST API is token-only; browsers sign in through the pages.
   */
  readonly api?: {
    tokensOf(request: Request): { accessToken?: string; refreshToken?: string };
    appendCookies(headers: Headers, tokens: SessionTokens | null): void;
  };
}

/** The two backends (built-in, Supabase) behind one interface: tokens for the REST API, cookies for browsers. */
export interface AuthAdapter extends TokenAuth {
  readonly kind: "builtin" | "supabase";
  readonly browser: BrowserSessions;
}
