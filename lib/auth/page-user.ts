import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { accountStateOf } from "@/lib/accounts/state";
import { getCurrentUser, requireUser } from "./server";
import type { AuthUser } from "./types";

/**
 * The user of the page being rendered, read once per request: the layout's app bar, the page and its metadata
 * share the lookup (React's cache lives for one server render).
 */
export const pageUser = cache(getCurrentUser);

/** The page user's role and status, once per render (cached per user besides: no round trip most of the time). */
export const pageAccountState = cache(async () => {
  const user = await pageUser();
  return user ? accountStateOf(user) : null;
});

/**
 * For pages: the user, or the login page with `?next=` bringing the visitor back (requireUser's redirect). An
 * account waiting for an admin's approval is sent to /pending, which says so.
 */
export async function requirePageUser(nextPath?: string): Promise<AuthUser> {
  const user = (await pageUser()) ?? (await requireUser(nextPath));
  if ((await pageAccountState())?.status === "pending") redirect("/pending");
  return user;
}

/** For the admin pages: the user if an admin; anyone else gets the not-found page (no sign the page exists). */
export async function requirePageAdmin(nextPath: string): Promise<AuthUser> {
  const user = await requirePageUser(nextPath);
  if ((await pageAccountState())?.role !== "admin") notFound();
  return user;
}
