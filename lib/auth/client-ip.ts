import "server-only";
import { getConfig } from "@/lib/config/env";

/**
 * The client's address for the per-address limits, or undefined when it is not known.
 *
 * Next 16 gives route handlers and server actions no supported way to read the connection's peer address
 * (`NextRequest.ip` was removed in 15), and X-Forwarded-For is whatever the client wrote unless a proxy we were
 * told about (TRUST_PROXY) wrote it. Without TRUST_PROXY there is no address at all: treating every client as one
 * would turn each per-address limit into a budget for the whole server that any visitor can spend.
 *
 * Each proxy appends the address it received the request from, so with N trusted proxies the Nth entry from the
 * right is the one our outermost proxy wrote; everything left of it came from the client (Express's
 * `trust proxy` hop count). With fewer entries than proxies the leftmost is taken, as Express does.
 */
export function clientIpFrom(headers: Headers): string | undefined {
  const hops = getConfig().trustProxyHops;
  if (hops === 0) return undefined;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[Math.max(0, entries.length - hops)];
}
