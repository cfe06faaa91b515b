import { listAvailableModels } from "@/lib/ai/models";
import { json, withUser } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** A static segment: Next matches it before [id], so it cannot be shadowed as it was in the original. */
export const GET = withUser("project", async ({ user }) => json(await listAvailableModels(user.id)));
