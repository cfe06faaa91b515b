import "server-only";
import { ApiError } from "@/lib/api/errors";
import { shortCache } from "@/lib/auth/short-cache";
import type { AuthUser } from "@/lib/auth/types";
import { getConfig } from "@/lib/config/env";
import { getOrInsertAccount } from "@/lib/db/queries/accounts";
import type { AccountRole, AccountStatus } from "@/lib/db/schema";
import { getRuntimeSettings } from "@/lib/settings/runtime";

/**
 * What an account may do, checked on every authenticated request (lib/auth: built-in token verification and
 * Supabase's claims both ask here): a disabled account is refused, a pending one may not chat, an admin may use
 * the admin API. Cached per user like session liveness (lib/auth/short-cache.ts): a change
 * made by this process is seen at once (`forgetAccountState` after the write), one made by another instance
 * within ACCOUNT_STATE_CACHE_MS.
 */
export interface AccountState {
  role: AccountRole;
  status: AccountStatus;
  /** The role comes from ADMIN_EMAILS rather than the stored row (an admin cannot take it away). */
  adminByEmail: boolean;
}

/** As long as built-in session liveness is cached (lib/auth/builtin/sessions.ts): the same bound for every revocation. */
export const ACCOUNT_STATE_CACHE_MS = 5_000;
const stored = shortCache<{ role: AccountRole; status: AccountStatus }>("account-state", ACCOUNT_STATE_CACHE_MS);

/** Whether `email` is listed in ADMIN_EMAILS (case-insensitive). */
export function isAdminEmail(email: string): boolean {
  return getConfig().admin.adminEmails.includes(email.trim().toLowerCase());
}

/**
 * The status a new account starts with under the sign-up policy in force: `pending` under `approval` (and, for
 * accounts Parley first sees already made elsewhere, under `closed`: Supabase users who signed up on Supabase
 * directly), unless it is an admin.
 */
export async function initialStatusOf(isAdmin: boolean): Promise<AccountStatus> {
  if (isAdmin) return "active";
  const { signupPolicy } = await getRuntimeSettings();
  return signupPolicy === "open" ? "active" : "pending";
}

/**
 * `user`'s role and status. An account Parley has no row for yet gets one now: built-in accounts made before
 * roles existed (always active), or a Supabase user seen for the first time (under the sign-up policy in force).
 */
export async function accountStateOf(user: AuthUser): Promise<AccountState> {
  const adminByEmail = isAdminEmail(user.email);
  const row = await stored.load(user.id, async () => {
    const supabase = Boolean(getConfig().supabase);
    const found = await getOrInsertAccount({
      userId: user.id,
      email: user.email,
      fullName: user.fullName,
      role: "user",
      status: supabase ? await initialStatusOf(adminByEmail) : "active",
    });
    return { role: found.role, status: found.status };
  });
  return {
    role: adminByEmail ? "admin" : row.role,
    // An ADMIN_EMAILS admin never waits for approval, but can still be disabled.
    status: adminByEmail && row.status === "pending" ? "active" : row.status,
    adminByEmail,
  };
}

export const isAdmin = async (user: AuthUser) => (await accountStateOf(user)).role === "admin";

/** After this process changed `userId`'s account: its next request reads the row again. */
export function forgetAccountState(userId: string): void {
  stored.forget([userId]);
}

/**
 * Before a send (the chat routes, after auth): an account waiting for approval may not chat. The state is
 * already cached by the request's own authentication, so this costs no round trip.
 */
export async function assertMayChat(user: AuthUser): Promise<void> {
  if ((await accountStateOf(user)).status === "pending")
    throw new ApiError(
      "forbidden",
      "pending_approval",
      "Your account is waiting for an administrator's approval: you can chat once it is approved.",
    );
}
