import { json, queryOf, withUser } from "@/lib/api/route";
import { importFrom } from "@/lib/transfer/service";

/** A Parley export or ChatGPT's conversations.json as the body; all of it is imported, or nothing. */
export const POST = withUser("import", async ({ user, request }) =>
  json(await importFrom(user.id, request, queryOf(request)), { status: 201 }),
);
