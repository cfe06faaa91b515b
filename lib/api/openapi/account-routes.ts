import { z } from "zod";
import { ok, rateLimited, type ApiRoute } from "./route-spec";

/** Health, the document itself, and the auth routes. */
export const accountRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/health",
    summary: "Health of the app and its database",
    tag: "health",
    auth: false,
    responses: {
      200: {
        description: "Healthy",
        schema: z.object({ status: z.literal("healthy"), version: z.string(), database: z.literal("ok") }),
      },
      503: { description: "The database does not answer" },
    },
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    tag: "meta",
    auth: false,
    responses: { 200: { description: "OpenAPI 3.1 document", schema: z.looseObject({ openapi: z.string() }) } },
  },

  {
    method: "post",
    path: "/api/v1/auth/signup",
    summary: "Create an account",
    tag: "auth",
    auth: false,
    body: "SignupRequest",
    responses: {
      201: ok("AuthResponse", "Created; the session cookie is set too"),
      409: { description: "Email taken", schema: "Error" },
      429: rateLimited("sign-ups per client address"),
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/login",
    summary: "Sign in",
    tag: "auth",
    auth: false,
    body: "LoginRequest",
    responses: {
      200: ok("AuthResponse"),
      401: { description: "Invalid email or password", schema: "Error" },
      429: rateLimited("failed logins per email or client address"),
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/refresh",
    summary: "Rotate a refresh token",
    tag: "auth",
    auth: false,
    body: "RefreshRequest",
    responses: { 200: ok("Token"), 401: { description: "Refresh token invalid or reused", schema: "Error" } },
  },
  {
    method: "post",
    path: "/api/v1/auth/logout",
    summary:
      "Sign out: ends server-side the session that the refresh token (body or cookie) and the access token (bearer or cookie) name; its access tokens stop working at once",
    tag: "auth",
    auth: false,
    responses: {
      204: { description: "The session is ended (or already was); the session cookies are cleared" },
      401: {
        description:
          "The only credential sent is an access token that names no session (forged, malformed); the cookies are cleared",
        schema: "Error",
      },
      502: { description: "The sign-in service (Supabase) failed to end the session", schema: "Error" },
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/reset-password",
    summary: "Request a password reset link",
    tag: "auth",
    auth: false,
    body: "ResetPasswordRequest",
    responses: {
      200: { description: "Same answer whether or not the account exists", schema: z.object({ message: z.string() }) },
      429: rateLimited("reset requests per email"),
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/reset-password/confirm",
    summary: "Set a new password with the token from the reset link (single use, 30 minutes)",
    tag: "auth",
    auth: false,
    body: "ResetPasswordConfirm",
    responses: {
      200: { description: "Password changed; every session of the account is ended", schema: z.object({ message: z.string() }) },
      400: { description: "Token invalid, expired or already used", schema: "Error" },
    },
  },
  {
    method: "get",
    path: "/api/v1/auth/session-check",
    summary: "Whether the credentials are valid",
    tag: "auth",
    auth: true,
    responses: {
      200: { description: "Valid", schema: z.object({ valid: z.literal(true), user_id: z.uuid(), email: z.string() }) },
    },
  },
];
