/**
 * Where to go after logging in. Only same-origin paths are accepted — a single leading `/`, no `//` or `/\`
 * (browsers read both as "another host"), no scheme, no control characters — so `?next=` can never become an
 * open redirect. Anything else, and the auth pages themselves (a loop), falls back to `/`.
 */
const AUTH_PAGES = ["/login", "/register", "/forgot-password", "/reset-password"];
const PROBE_ORIGIN = "http://parley.invalid";

export function safeNextPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  if (AUTH_PAGES.some((page) => url.pathname === page || url.pathname.startsWith(`${page}/`))) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The login page URL that brings the visitor back to `path` afterwards. */
export function loginUrlFor(path: string): string {
  const next = safeNextPath(path, "");
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
