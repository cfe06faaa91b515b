import http from "node:http";
import { FETCH_FORBIDDEN_METHODS, refusalHeaders, refusalOf } from "@/lib/api/refusals";

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
const proto = http.Server.prototype as unknown as { emit: Emit };
const installed = Symbol.for("parley.earlyRefusals");

/**
 * Answers TRACE (and the other methods the Fetch API forbids) before Next sees them: Next builds a Request for
 * the proxy and for every route, `new Request()` throws on these, and Next then answered a bare text/plain 500.
 * Next offers no hook before that, and instrumentation (which calls this) has no handle on the server it runs
 * in, hence the wrap of http.Server's emit. Everything else goes to Next untouched (proxy.ts refuses the rest).
 * Returns the undo, for tests.
 */
export function installEarlyRefusals(): () => void {
  const marked = proto as unknown as Record<symbol, Emit | undefined>;
  const original = marked[installed] ?? proto.emit;
  marked[installed] = original;
  proto.emit = function (this: http.Server, event, ...args) {
    if (event === "request") {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      const method = (request.method ?? "").toUpperCase();
      const refusal = FETCH_FORBIDDEN_METHODS.has(method) ? refusalOf(method, "/") : undefined;
      if (refusal) {
        request.resume();
        response.writeHead(refusal.status, { ...refusalHeaders(refusal), "Content-Type": "application/json" });
        response.end(JSON.stringify(refusal.toBody()));
        return true;
      }
    }
    return original.call(this, event, ...args);
  };
  return () => {
    proto.emit = original;
    marked[installed] = undefined;
  };
}
