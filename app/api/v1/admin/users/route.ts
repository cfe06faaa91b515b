import { readJson } from "@/lib/api/http";
import { json, queryOf, withAdmin } from "@/lib/api/route";
import { createUser, listUsers } from "@/lib/admin/service";
import { z } from "zod";

export const dynamic = "force-dynamic";

/** GET /api/v1/admin/users?q=&limit= → accounts with role, status, budget and this month's usage (admins only). */
export const GET = withAdmin("user", async ({ request }) => json(await listUsers(queryOf(request))));

/** POST /api/v1/admin/users {email, password, full_name?, role?} → 201 an active built-in account (admins only). */
export const POST = withAdmin("user", async ({ user, request }) =>
  json(await createUser(user, await readJson(request, z.unknown(), "user")), { status: 201 }),
);
