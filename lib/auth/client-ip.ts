import "server-only";
import { getConfig } from "@/lib/config/env";

/**
 * The client's address for throttling. X-Forwarded-For is only believed behind a proxy we were told about
 * (TRUST_PROXY), otherwise anyone could pick a fresh "IP" per request; without it every request counts as one.
 */
export function clientIpFrom(headers: Headers): string {
  if (!getConfig().trustProxy) return "local";
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return first || headers.get("x-real-ip")?.trim() || "local";
}
