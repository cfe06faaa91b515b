import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { parseParams } from "@/lib/api/http";
import { forgetAccountState, isAdminEmail } from "@/lib/accounts/state";
import { getAuthAdapter } from "@/lib/auth/adapter";
import { endEverySession } from "@/lib/auth/builtin/sessions";
import { deleteAccount } from "@/lib/auth/service";
import type { AuthUser } from "@/lib/auth/types";
import { getDb } from "@/lib/db/client";
import {
  getAccountWithUsage,
  listAccounts,
  updateAccountIn,
  type AccountChange,
  type AccountWithUsage,
} from "@/lib/db/queries/accounts";
import { listAudit, recordAuditIn } from "@/lib/db/queries/admin-audit";
import { writeAppSettingsIn } from "@/lib/db/queries/app-settings";
import type { AdminAuditRow } from "@/lib/db/schema";
import { forgetRuntimeSettings, getRuntimeSettings } from "@/lib/settings/runtime";
import { allowListOf } from "@/lib/ai/openrouter";
import { getConfig } from "@/lib/config/env";
import { reportFor } from "@/lib/usage/service";
import { usageQuery } from "@/lib/usage/schemas";
import type { UsageReportView } from "@/lib/usage/views";
import {
  adminAuditQuery,
  adminSettingsPatch,
  adminUserCreate,
  adminUserPatch,
  adminUsersQuery,
  type AdminSettingsPatch,
} from "./schemas";
import type { AdminAuditView, AdminSettingsView, AdminUserView } from "./views";

/**
 * What admins do (the /api/v1/admin routes and the /admin page call these; the caller is an admin, checked by
 * `withAdmin` / `requirePageAdmin`). Every change is written with its audit row in one transaction. Nothing here
 * reads a user's chats: usage figures only.
 */

function userView(row: AccountWithUsage): AdminUserView {
  const roleFromEnv = isAdminEmail(row.email);
  const overCost = row.monthlyCostLimit !== null && Number(row.month.cost) >= Number(row.monthlyCostLimit);
  const overTokens = row.monthlyTokenLimit !== null && row.month.tokens >= row.monthlyTokenLimit;
  return {
    id: row.userId,
    email: row.email,
    full_name: row.fullName,
    role: roleFromEnv ? "admin" : row.role,
    role_from_env: roleFromEnv,
    status: row.status,
    monthly_cost_limit: row.monthlyCostLimit,
    monthly_token_limit: row.monthlyTokenLimit,
    month_cost: row.month.cost,
    month_tokens: row.month.tokens,
    over_budget: overCost || overTokens,
    created_at: row.createdAt.toISOString(),
  };
}

export async function listUsers(query: unknown): Promise<{ items: AdminUserView[] }> {
  const { q, limit } = parseParams(adminUsersQuery, query, "query");
  return { items: (await listAccounts({ q: q || undefined, limit })).map(userView) };
}

async function requireAccount(userId: string): Promise<AccountWithUsage> {
  const row = await getAccountWithUsage(userId);
  if (!row) throw notFound("user");
  return row;
}

export const getUser = async (userId: string): Promise<AdminUserView> => userView(await requireAccount(userId));

/** One account's usage over a range of UTC days (the same report as GET /api/v1/usage, for that account). */
export async function userUsage(userId: string, query: unknown): Promise<UsageReportView> {
  await requireAccount(userId);
  return reportFor(userId, parseParams(usageQuery, query, "query"));
}

/**
 * Role, status (approve, disable, enable) and budget. Disabling ends the account's sessions at once: built-in
 * sessions are revoked (and the token version moves on), and every request checks the account's status
 * (lib/accounts/state.ts), so its next request, page or API, is refused and the browser's cookies cleared.
 */
export async function updateUser(actor: AuthUser, userId: string, body: unknown): Promise<AdminUserView> {
  const patch = parseParams(adminUserPatch, body, "user");
  const before = await requireAccount(userId);
  if (userId === actor.id && (patch.status === "disabled" || patch.role === "user"))
    throw new ApiError("validation", "user", "You cannot disable your own account or take away your own admin role", {
      errors: [{ path: patch.status === "disabled" ? "status" : "role", message: "not on your own account" }],
    });
  if (patch.role === "user" && isAdminEmail(before.email))
    throw new ApiError("validation", "user", "This account is an admin through ADMIN_EMAILS; change that variable instead", {
      errors: [{ path: "role", message: "set by ADMIN_EMAILS" }],
    });
  const change: AccountChange = {};
  const audits: { action: string; details: Record<string, unknown> }[] = [];
  if (patch.role !== undefined && patch.role !== before.role) {
    change.role = patch.role;
    audits.push({ action: "user.role", details: { from: before.role, to: patch.role } });
  }
  if (patch.status !== undefined && patch.status !== before.status) {
    change.status = patch.status;
    audits.push({ action: "user.status", details: { from: before.status, to: patch.status } });
  }
  if (patch.monthly_cost_limit !== undefined || patch.monthly_token_limit !== undefined) {
    if (patch.monthly_cost_limit !== undefined) change.monthlyCostLimit = patch.monthly_cost_limit;
    if (patch.monthly_token_limit !== undefined) change.monthlyTokenLimit = patch.monthly_token_limit;
    audits.push({
      action: "user.budget",
      details: {
        monthly_cost_limit: patch.monthly_cost_limit === undefined ? before.monthlyCostLimit : patch.monthly_cost_limit,
        monthly_token_limit: patch.monthly_token_limit === undefined ? before.monthlyTokenLimit : patch.monthly_token_limit,
      },
    });
  }
  if (audits.length === 0) return userView(before);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await updateAccountIn(tx, userId, change);
    for (const audit of audits)
      await recordAuditIn(tx, {
        actorId: actor.id,
        actorEmail: actor.email,
        targetId: userId,
        targetEmail: before.email,
        ...audit,
      });
  });
  forgetAccountState(userId);
  if (change.status === "disabled" && getAuthAdapter().kind === "builtin") await endEverySession(userId);
  return getUser(userId);
}

/** Built-in accounts only (Supabase accounts are made on Supabase; admins approve them here). Active at once. */
export async function createUser(actor: AuthUser, body: unknown): Promise<AdminUserView> {
  const input = parseParams(adminUserCreate, body, "user");
  const adapter = getAuthAdapter();
  if (adapter.kind !== "builtin")
    throw new ApiError(
      "validation",
      "user",
      "With Supabase Auth, accounts are created on Supabase; set the sign-up policy to approval and approve them here",
    );
  const { user } = await adapter.signUp({ email: input.email, password: input.password, fullName: input.full_name });
  const db = await getDb();
  await db.transaction(async (tx) => {
    await updateAccountIn(tx, user.id, { status: "active", ...(input.role === "admin" ? { role: "admin" } : {}) });
    await recordAuditIn(tx, {
      actorId: actor.id,
      actorEmail: actor.email,
      action: "user.create",
      targetId: user.id,
      targetEmail: user.email,
      details: { role: input.role },
    });
  });
  forgetAccountState(user.id);
  return getUser(user.id);
}

/**
 * The account and all its data (the same deletion as a user's own: several transactions, so it cannot share one
 * with its audit row), recorded once it is done.
 */
export async function deleteUser(actor: AuthUser, userId: string): Promise<void> {
  const target = await requireAccount(userId);
  if (userId === actor.id)
    throw new ApiError("validation", "user", "Delete your own account from Settings, not from the admin page");
  await deleteAccount({ id: userId, email: target.email, fullName: target.fullName });
  await recordAuditIn(await getDb(), {
    actorId: actor.id,
    actorEmail: actor.email,
    action: "user.delete",
    targetId: userId,
    targetEmail: target.email,
  });
}

export async function settingsView(): Promise<AdminSettingsView> {
  const settings = await getRuntimeSettings();
  return {
    signup_policy: settings.signupPolicy,
    model_allow_list: await allowListOf(getConfig()),
    default_model: settings.defaultModel ?? null,
    user_keys_enabled: settings.userKeysEnabled,
    overridden: settings.overridden,
  };
}

export async function updateSettings(actor: AuthUser, body: unknown): Promise<AdminSettingsView> {
  const patch: AdminSettingsPatch = parseParams(adminSettingsPatch, body, "settings");
  const db = await getDb();
  await db.transaction(async (tx) => {
    await writeAppSettingsIn(tx, patch);
    await recordAuditIn(tx, { actorId: actor.id, actorEmail: actor.email, action: "settings.update", details: patch });
  });
  forgetRuntimeSettings();
  return settingsView();
}

function auditView(row: AdminAuditRow): AdminAuditView {
  return {
    id: row.id,
    actor_id: row.actorId,
    actor_email: row.actorEmail,
    action: row.action,
    target_id: row.targetId,
    target_email: row.targetEmail,
    details: (row.details ?? {}) as Record<string, unknown>,
    created_at: row.createdAt.toISOString(),
  };
}

export async function auditLog(query: unknown): Promise<{ items: AdminAuditView[] }> {
  const { limit, target_id } = parseParams(adminAuditQuery, query, "query");
  return { items: (await listAudit({ limit, targetId: target_id })).map(auditView) };
}
