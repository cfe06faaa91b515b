import { z } from "zod";
import { noContent, readJson } from "@/lib/api/http";
import { json, withAdmin } from "@/lib/api/route";
import { deleteUser, getUser, updateUser } from "@/lib/admin/service";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/v1/admin/users/{id} → one account's role, status, budget and month's usage (admins only). */
export const GET = withAdmin<Params>("user", async ({ params }) => json(await getUser(params.id)));

/** PATCH /api/v1/admin/users/{id} {role?, status?, monthly_cost_limit?, monthly_token_limit?} (admins only). */
export const PATCH = withAdmin<Params>("user", async ({ user, request, params }) =>
  json(await updateUser(user, params.id, await readJson(request, z.unknown(), "user"))),
);

/** DELETE /api/v1/admin/users/{id} → 204: the account and all its data (admins only). */
export const DELETE = withAdmin<Params>("user", async ({ user, params }) => {
  await deleteUser(user, params.id);
  return noContent();
});
