import { randomUUID } from "node:crypto";
import type { BrowserContext } from "@playwright/test";
import { SignJWT } from "jose";
import e2eAuth from "./e2e-auth.json" with { type: "json" };

/**
 * Signs a browser context in without the sign-up pages (which the auth work adds): mints the same HS256 access
 * token lib/auth/access-token.ts issues, with the AUTH_SECRET tests/e2e/server.mjs gives `next start`, and sets
 * it as the session cookie. No user row is needed: the token alone authenticates. Replace with a real sign-up
 * once it exists.
 */
export interface E2EUser {
  id: string;
  email: string;
  name: string;
  token: string;
}

export async function mintAccessToken(name: string): Promise<E2EUser> {
  const id = randomUUID();
  const email = `${name.toLowerCase().replace(/\W+/g, "-")}-${id.slice(0, 8)}@example.test`;
  const token = await new SignJWT({ email, name })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(id)
    .setIssuer("parley")
    .setAudience("parley")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(e2eAuth.authSecret));
  return { id, email, name, token };
}

export async function loginAs(context: BrowserContext, name: string): Promise<E2EUser> {
  const user = await mintAccessToken(name);
  await context.addCookies([{ name: "parley_access", value: user.token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
  return user;
}
