import { z } from "zod";
import { noContent, readJson } from "@/lib/api/http";
import { json, noStoreHeaders, withUser } from "@/lib/api/route";
import { removeUserKey, saveUserKey, userKeyStatus } from "@/lib/user-keys/service";

export const dynamic = "force-dynamic";

const SURFACE = "user_key";

/** GET → whether the caller saved their own OpenRouter key, and its last four characters (never the key). */
export const GET = withUser(SURFACE, async ({ user }) => json(await userKeyStatus(user.id)));

/** PUT { key } → saves or replaces it (sealed at rest); answers the same status as GET. */
export const PUT = withUser(SURFACE, async ({ user, request }) =>
  json(await saveUserKey(user.id, await readJson(request, z.unknown(), SURFACE))),
);

/** DELETE → removes it (204 whether or not there was one): the caller's calls use the team's key again. */
export const DELETE = withUser(SURFACE, async ({ user }) => {
  await removeUserKey(user.id);
  return noContent(noStoreHeaders());
});
