import "server-only";
import { getConfig } from "@/lib/config/env";

/**
 * The client's address for the per-address limits, or undefined when it is not known.
 *
 * Next 16 gives route handlers and server actions no supported way to read the connection's peer address
 * (`NextRequest.ip` was removed in 15), and X-Forwarded-For is whatever the client wrote unless a proxy we were
 * told about (TRUST_PROXY) wrote it. Without TRUST_PROXY there is no address at all: treating every client as one
 * would turn each per-address limit into a budget for the whole server that any visitor can spend.
 */
export function clientIpFrom(headers: Headers): string | undefined {
  if (!getConfig().trustProxy) return undefined;
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return first || headers.get("x-real-ip")?.trim() || undefined;
}
