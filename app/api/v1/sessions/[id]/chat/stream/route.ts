import { withApi } from "@/lib/api/http";
import { startRestGeneration } from "@/lib/chat/rest/route-helpers";
import { restStreamResponse } from "@/lib/chat/rest/rest-stream";
import { PhaseTimer } from "@/lib/chat/engine/server-timing";

export const dynamic = "force-dynamic";

/** POST /api/v1/sessions/{id}/chat/stream {message} → 200 text/event-stream (see lib/chat/rest/rest-stream.ts). */
export const POST = withApi(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const timer = new PhaseTimer();
  return restStreamResponse(await startRestGeneration(request, context, timer), timer);
});
