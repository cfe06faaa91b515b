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
  /**
   * Ends server-side the session(s) the caller's tokens name; a session already ended or gone is fine. Throws
   * 401 when the only credential is an access token that names no session (forged, malformed): answering 204
   * then would claim a logout that did not happen.
   */
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
  /**
   * Revokes the session the cookies hold (if it is still valid) and clears them; `everywhere` ends every
   * session of the user (account deletion: no other device keeps a session).
   */
  signOut(options?: { everywhere?: boolean }): Promise<void>;
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
   * The REST API's side of the browser session (the spec: signup/login set the session cookie too, logout clears
   * it, refresh may renew from it). Built-in: our own cookies; Supabase: Supabase's own `sb-*` cookies, written
   * by @supabase/ssr so the proxy and pages read them as if the user had signed in through a page.
   */
  readonly api: {
    tokensOf(request: Request): Promise<{ accessToken?: string; refreshToken?: string }>;
    /** Adds Set-Cookie headers that store `tokens` as the browser's session, or (null) clear the request's. */
    appendCookies(headers: Headers, tokens: SessionTokens | null, request: Request): Promise<void>;
  };
}

/** The two backends (built-in, Supabase) behind one interface: tokens for the REST API, cookies for browsers. */
export interface AuthAdapter extends TokenAuth {
  readonly kind: "builtin" | "supabase";
  readonly browser: BrowserSessions;
}
