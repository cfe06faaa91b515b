import { randomUUID } from "node:crypto";
import type { BrowserContext } from "@playwright/test";

/**
 * Signs a browser context in without the sign-up pages: a real account made through the REST sign-up on the
 * default e2e server (tests/e2e/server.mjs), whose access token is set as the session cookie. A real sign-up,
 * not a token minted here: every access token names a live session the server checks on each request.
 */
export interface E2EUser {
  id: string;
  email: string;
  name: string;
  token: string;
}

const baseURL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

export async function mintAccessToken(name: string): Promise<E2EUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, "-")}-${randomUUID().slice(0, 8)}@example.test`;
  const response = await fetch(`${baseURL}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "a long enough password", full_name: name }),
  });
  if (response.status !== 201) throw new Error(`e2e sign-up answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string }; token: { access_token: string } };
  return { id: body.user.id, email, name, token: body.token.access_token };
}

export async function loginAs(context: BrowserContext, name: string): Promise<E2EUser> {
  const user = await mintAccessToken(name);
  await context.addCookies([
    { name: "parley_access", value: user.token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" },
  ]);
  return user;
}
