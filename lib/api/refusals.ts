import { ApiError } from "./errors";
import { securityHeaders } from "./security-headers";

/**
 * Requests refused before any route sees them, answered in the API's error shape with the security headers.
 * Without this, Next answered them with a bare text/plain 500 and none of the headers: a path whose
 * percent-encoding does not decode failed in its router, and a method the Fetch API forbids (TRACE) could not
 * even become a Request for the proxy. proxy.ts refuses what reaches it; lib/server/early-refusals.ts answers
 * the forbidden methods, which never do.
 */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Methods `new Request()` throws on; Next builds one for the proxy and every route, so they fail before both. */
export const FETCH_FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

export function refusalOf(method: string, rawPath: string): ApiError | undefined {
  if (!(ALLOWED_METHODS as readonly string[]).includes(method.toUpperCase())) {
    return new ApiError("method_not_allowed", "method", "This HTTP method is not supported", {
      headers: { Allow: ALLOWED_METHODS.join(", ") },
    });
  }
  try {
    decodeURIComponent(rawPath);
  } catch {
    return new ApiError("bad_request", "path", "The path is not valid percent-encoded UTF-8");
  }
  return undefined;
}

export function refusalHeaders(error: ApiError): Record<string, string> {
  return {
    ...Object.fromEntries(securityHeaders.map((h) => [h.key, h.value])),
    "Cache-Control": "no-store",
    ...error.headers,
  };
}

export function refusalResponse(error: ApiError): Response {
  return Response.json(error.toBody(), { status: error.status, headers: refusalHeaders(error) });
}
