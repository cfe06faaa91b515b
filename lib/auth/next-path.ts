/**
 * Where to go after logging in. Only same-origin paths are accepted — a single leading `/`, no `//` or `/\`
 * (browsers read both as "another host"), no scheme, no control characters — so `?next=` can never become an
 * open redirect. Anything else, and the auth pages themselves (a loop), falls back to LANDING_PATH.
 */
const AUTH_PAGES = ["/login", "/register", "/forgot-password", "/reset-password"];
/**
 * Where a login without `?next=` lands (#14): a new chat in the user's default project, ready to type in (its page
 * makes the project on first need). The dashboard stays at `/`.
 */
export const LANDING_PATH = "/chats/new";
const PROBE_ORIGIN = "http://parley.invalid";

const isLocalPath = (path: string) =>
  path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") && !/[\u0000-\u001f\u007f]/.test(path);

export function safeNextPath(value: unknown, fallback = LANDING_PATH): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048 || !isLocalPath(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  if (AUTH_PAGES.some((page) => url.pathname === page || url.pathname.startsWith(`${page}/`))) return fallback;
  const normalised = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments are resolved by the parse above, after the input passed: `/a/..//evil.test` comes out as
  // `//evil.test`. What is returned is what the browser will follow, so that is what must pass.
  return isLocalPath(normalised) ? normalised : fallback;
}

/** The login page URL that brings the visitor back to `path` afterwards. */
export function loginUrlFor(path: string): string {
  const next = safeNextPath(path, "");
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
