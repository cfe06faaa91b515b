import { noContent } from "@/lib/api/http";
import { withUser } from "@/lib/api/route";
import { uiReattachResponse } from "@/lib/chat/live/ui-stream";
import { watchReply } from "@/lib/chat/live/watch";

export const dynamic = "force-dynamic";
// A watcher stays as long as the reply it watches: ROUTE_MAX_DURATION_S (lib/config/env.ts).
export const maxDuration = 300;

/**
 * GET /api/chat/{sessionId}/stream — useChat's resume (`resumeStream()`): the reply being generated in this chat,
 * from its start, live to its stored end, whichever instance generates it (lib/chat/live/).
 * → 200 UI message stream · 204 nothing is being generated · 404 not the caller's chat.
 */
export const GET = withUser<{ sessionId: string }>("session", async ({ user, params, request }) => {
  const watch = await watchReply(user.id, params.sessionId, request.signal);
  if (!watch) return noContent({ "Cache-Control": "no-store" });
  return uiReattachResponse(watch);
});
