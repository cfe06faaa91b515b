import "server-only";
import { cache } from "react";
import { getCurrentUser, requireUser } from "./server";
import type { AuthUser } from "./types";

/**
 * The user of the page being rendered, read once per request: the layout's app bar, the page and its metadata
 * share the lookup (React's cache lives for one server render).
 */
export const pageUser = cache(getCurrentUser);

/** For pages: the user, or the login page with `?next=` bringing the visitor back (requireUser's redirect). */
export async function requirePageUser(nextPath?: string): Promise<AuthUser> {
  return (await pageUser()) ?? requireUser(nextPath);
}
