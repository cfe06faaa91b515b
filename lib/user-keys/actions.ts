"use server";

import { withUserAction, type ActionResult } from "@/lib/server/action";
import type { UserKeyStatus } from "./schemas";
import { removeUserKey, saveUserKey, userKeyStatus } from "./service";

/**
 * Settings → Your OpenRouter key. The same service as PUT/DELETE /api/v1/me/openrouter-key, so validation and
 * the feature switch are identical; the answer is the status (last four characters), never the key.
 */

export async function saveOpenRouterKeyAction(key: string): Promise<ActionResult<UserKeyStatus>> {
  return withUserAction((user) => saveUserKey(user.id, { key }), { nextPath: "/settings" });
}

export async function removeOpenRouterKeyAction(): Promise<ActionResult<UserKeyStatus>> {
  return withUserAction(
    async (user) => {
      await removeUserKey(user.id);
      return userKeyStatus(user.id);
    },
    { nextPath: "/settings" },
  );
}
