import { ownedResourceRoutes } from "@/lib/api/route";
import { deleteChat, getChatOf, updateChatOf } from "@/lib/chats/service";

export const dynamic = "force-dynamic";

/** PATCH {title?, chat_model?} → 200 session; DELETE → 204, its messages go with it. */
const routes = ownedResourceRoutes("session", { get: getChatOf, update: updateChatOf, remove: deleteChat });

export const GET = routes.GET;
export const PATCH = routes.PATCH;
export const DELETE = routes.DELETE;
