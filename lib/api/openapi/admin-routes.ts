import { adminAuditQuery, adminUsersQuery } from "@/lib/admin/schemas";
import { usageQueryFields } from "@/lib/usage/schemas";
import { noContent, ok, type ApiRoute, type ResponseSpec } from "./route-spec";

/**
 * The admin API (lib/admin). Admins only: anyone else signed in gets 404 `not_found:route` on every one of these,
 * as for a route that does not exist. Account figures only: no route here returns a user's chats or messages.
 */
const notAdmin: ResponseSpec = {
  description:
    "`not_found:route` for a caller who is not an admin (as for an unknown route); `not_found:user` for an unknown account",
  schema: "Error",
};

export const adminRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/admin/users",
    summary: "Accounts (newest first) with role, status, monthly budget and this month's usage; search by email or name",
    tag: "admin",
    auth: true,
    query: adminUsersQuery,
    responses: { 200: ok("AdminUserList"), 404: notAdmin },
  },
  {
    method: "post",
    path: "/api/v1/admin/users",
    summary: "Create a built-in account, active at once (how accounts are made under the `closed` sign-up policy)",
    tag: "admin",
    auth: true,
    body: "AdminUserCreate",
    responses: {
      201: ok("AdminUser", "Created"),
      404: notAdmin,
      409: { description: "`conflict:auth`: an account with this email exists", schema: "Error" },
    },
  },
  {
    method: "get",
    path: "/api/v1/admin/users/{id}",
    summary: "One account's role, status, budget and this month's usage",
    tag: "admin",
    auth: true,
    responses: { 200: ok("AdminUser"), 404: notAdmin },
  },
  {
    method: "patch",
    path: "/api/v1/admin/users/{id}",
    summary:
      "Change an account's role, approve (`status: active`), disable (its sessions end at once) or enable it, or set its monthly budget",
    tag: "admin",
    auth: true,
    body: "AdminUserUpdate",
    responses: { 200: ok("AdminUser"), 404: notAdmin },
  },
  {
    method: "delete",
    path: "/api/v1/admin/users/{id}",
    summary: "Delete an account with all its data (as the user's own account deletion)",
    tag: "admin",
    auth: true,
    responses: { 204: noContent, 404: notAdmin },
  },
  {
    method: "get",
    path: "/api/v1/admin/users/{id}/usage",
    summary: "One account's tokens and cost over UTC days [from, to], grouped by day, model or project (figures only)",
    tag: "admin",
    auth: true,
    query: usageQueryFields,
    responses: { 200: ok("UsageReport"), 404: notAdmin },
  },
  {
    method: "get",
    path: "/api/v1/admin/settings",
    summary: "The run-time settings in force: sign-up policy, model allow-list, default model, user keys",
    tag: "admin",
    auth: true,
    responses: { 200: ok("AdminSettings"), 404: notAdmin },
  },
  {
    method: "patch",
    path: "/api/v1/admin/settings",
    summary: "Change run-time settings (in force on every instance within seconds); null returns one to the environment's value",
    tag: "admin",
    auth: true,
    body: "AdminSettingsUpdate",
    responses: { 200: ok("AdminSettings"), 404: notAdmin },
  },
  {
    method: "get",
    path: "/api/v1/admin/audit",
    summary: "Every admin change (who, what, to whom, when), newest first",
    tag: "admin",
    auth: true,
    query: adminAuditQuery,
    responses: { 200: ok("AdminAuditList"), 404: notAdmin },
  },
];
