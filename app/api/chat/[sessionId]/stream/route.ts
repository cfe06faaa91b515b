import { z } from "zod";
import { noContent } from "@/lib/api/http";
import { queryOf, withUser } from "@/lib/api/route";
import { scopedId } from "@/lib/chat/engine/scoped-id";
import { replayTurn } from "@/lib/chat/live/replay";
import { uiReattachResponse } from "@/lib/chat/live/ui-stream";
import { watchReply } from "@/lib/chat/live/watch";

export const dynamic = "force-dynamic";
// A watcher stays as long as the reply it watches: ROUTE_MAX_DURATION_S (lib/config/env.ts).
export const maxDuration = 300;

/**
 * `after`: the screen's own id of a message it sent and whose reply it lost (the connection dropped mid-stream);
 * `reply_to`: the stored id of the chat's last message as a page showed it, unanswered (its reply may have been
 * stored between the page's render and this request).
 */
const resumeQuery = z.object({ after: z.string().min(1).max(100).optional(), reply_to: z.uuid().optional() }).catch({});

/**
 * GET /api/chat/{sessionId}/stream[?after=<message id>|?reply_to=<stored id>] — useChat's resume (`resumeStream()`): the reply being
 * generated in this chat, from its start, live to its stored end, whichever instance generates it (lib/chat/live/).
 * With `after` or `reply_to`, a reply no longer generated is sent too if it is the stored answer to that message.
 * → 200 UI message stream · 204 nothing to resume · 404 not the caller's chat.
 */
export const GET = withUser<{ sessionId: string }>("session", async ({ user, params, request }) => {
  const { after, reply_to: replyTo } = resumeQuery.parse(queryOf(request));
  const turn = after ? scopedId(params.sessionId, after) : replyTo;
  const watch = turn
    ? await replayTurn(user.id, params.sessionId, turn, request.signal)
    : await watchReply(user.id, params.sessionId, request.signal);
  if (!watch) return noContent({ "Cache-Control": "no-store" });
  return uiReattachResponse(watch);
});
