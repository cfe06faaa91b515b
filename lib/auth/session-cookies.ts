import "server-only";
import { cookies } from "next/headers";
import { sessionCookies } from "./cookies";
import { logOut } from "./service";
import { ACCESS_COOKIE, REFRESH_COOKIE, type SessionTokens } from "./types";

/** For server actions: sets (or, with null, clears) the session cookies through Next's cookie store. */
export async function writeSessionCookies(tokens: SessionTokens | null): Promise<void> {
  const store = await cookies();
  for (const { name, value, options } of sessionCookies(tokens)) store.set(name, value, options);
}

/** Logout for server actions: revokes what the browser holds server-side, then clears its cookies. */
export async function endSession(): Promise<void> {
  const store = await cookies();
  await logOut({ accessToken: store.get(ACCESS_COOKIE)?.value, refreshToken: store.get(REFRESH_COOKIE)?.value });
  await writeSessionCookies(null);
}
