import { withApi } from "@/lib/api/http";
import { startRestGeneration } from "@/lib/chat/rest/route-helpers";
import { restStreamResponse } from "@/lib/chat/rest/rest-stream";
import { PhaseTimer } from "@/lib/chat/engine/server-timing";

export const dynamic = "force-dynamic";
// A reply plus the summary after it, each up to MODEL_TIMEOUT_MS: ROUTE_MAX_DURATION_S in lib/config/env.ts (a test
// keeps them equal; Next needs a literal here).
export const maxDuration = 300;

/** POST /api/v1/sessions/{id}/chat/stream {message} → 200 text/event-stream (see lib/chat/rest/rest-stream.ts). */
export const POST = withApi(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const timer = new PhaseTimer();
  return restStreamResponse(await startRestGeneration(request, context, timer), timer);
});
