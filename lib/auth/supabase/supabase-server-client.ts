import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import {
  combineChunks,
  createServerClient,
  isChunkLike,
  parseCookieHeader,
  serializeCookieHeader,
  stringFromBase64URL,
  type CookieOptions,
  type CookieOptionsWithName,
  type SetAllCookies,
} from "@supabase/ssr";
import type { SupabaseClient } from "@supabase/supabase-js";
import { getConfig } from "@/lib/config/env";

/**
 * The one Supabase server client of a request (`@supabase/ssr`): the session lives in Supabase's own cookies
 * (`sb-<ref>-auth-token`, chunked when large), which the library reads through `getAll` and writes through
 * `setAll` whenever it signs in, refreshes or signs out. Never shared between requests: a client holds one
 * user's session.
 */
export function supabaseProject(): { url: string; key: string } {
  const { supabase } = getConfig();
  if (!supabase) throw new Error("Supabase is not configured");
  return supabase;
}

/**
 * The cookie's name is supabase-js's default storage key (`sb-` + the first label of the project's host +
 * `-auth-token`), set explicitly so that this module and the library agree on it.
 */
export function sessionCookieName(): string {
  return `sb-${new URL(supabaseProject().url).hostname.split(".")[0]}-auth-token`;
}

/** No browser code reads the session (there is no browser client), so the cookies are httpOnly. */
function cookieOptions(): CookieOptions {
  return { path: "/", sameSite: "lax", httpOnly: true, secure: getConfig().isProduction };
}

type CookieList = Array<{ name: string; value: string }>;

function create(getAll: () => CookieList, setAll: SetAllCookies): SupabaseClient {
  const { url, key } = supabaseProject();
  const options: CookieOptionsWithName = { ...cookieOptions(), name: sessionCookieName() };
  return createServerClient(url, key, { cookieOptions: options, cookies: { getAll, setAll } });
}

/**
 * Server components, server actions and route handlers: cookies through next/headers. `cache` makes it one
 * client per request however many components ask.
 */
export const createSupabaseServerClient = cache(async (): Promise<SupabaseClient> => {
  const store = await cookies();
  return create(
    () => store.getAll(),
    (toSet) => {
      try {
        for (const { name, value, options } of toSet) store.set(name, value, options);
      } catch {
        // Server components cannot set cookies. The proxy has refreshed the session before the render, so
        // a write here is only ever a repeat of what the browser already got.
      }
    },
  );
});

/** Route handlers reached with a Request: reads the request's own cookies (same under test and in production). */
export function createSupabaseRequestClient(request: Request): SupabaseClient {
  return create(
    () => parseCookieHeader(request.headers.get("cookie") ?? ""),
    async (toSet) => {
      try {
        const store = await cookies();
        for (const { name, value, options } of toSet) store.set(name, value, options);
      } catch {
        // Outside a request scope (nothing to answer to): the proxy keeps the browser's cookies fresh.
      }
    },
  );
}

/** Whether a Cookie header carries the Supabase session (any of its chunks). */
export function hasSupabaseSessionCookie(cookieHeader: string | null): boolean {
  const name = sessionCookieName();
  return parseCookieHeader(cookieHeader ?? "").some((cookie) => isChunkLike(cookie.name, name));
}

export interface ProxyClient {
  supabase: SupabaseClient;
  /**
   * Puts every cookie the client set (and the no-store headers that come with them) on `response`, by default
   * a continuation whose request carries the renewed cookies so this very render sees the new session.
   * `clearStale` also expires session cookies the client left in place (a forged or foreign token).
   */
  respond(response?: NextResponse, clearStale?: boolean): NextResponse;
}

/** The proxy: reads the request's cookies, writes onto the response it returns (also on redirects and 401s). */
export function createSupabaseProxyClient(request: NextRequest): ProxyClient {
  const written = new Map<string, { value: string; options: CookieOptions }>();
  const headers: Record<string, string> = {};
  const supabase = create(
    () => request.cookies.getAll(),
    (toSet, cacheHeaders) => {
      for (const { name, value, options } of toSet) {
        written.set(name, { value, options });
        if (options.maxAge === 0) request.cookies.delete(name);
        else request.cookies.set(name, value);
      }
      Object.assign(headers, cacheHeaders);
    },
  );
  return {
    supabase,
    respond(response, clearStale = false) {
      const answer = response ?? NextResponse.next({ request: { headers: request.headers } });
      if (clearStale) {
        const name = sessionCookieName();
        for (const { name: stale } of request.cookies.getAll()) {
          if (isChunkLike(stale, name) && !written.has(stale))
            written.set(stale, { value: "", options: { ...cookieOptions(), maxAge: 0 } });
        }
      }
      for (const [name, { value, options }] of written) answer.cookies.set(name, value, options);
      for (const [header, value] of Object.entries(headers)) answer.headers.set(header, value);
      // A response that sets a session cookie must never be cached for someone else.
      if (written.size > 0 && !headers["Cache-Control"]) answer.headers.set("Cache-Control", "private, no-store");
      return answer;
    },
  };
}

/**
 * The REST API's signup/login/refresh: Set-Cookie headers holding `tokens` as the browser's session, in
 * Supabase's own format, written by the library itself (setSession on a client with nothing in its jar; it checks
 * the access token with the project once). Returns false when Supabase would not take the tokens.
 */
export async function appendSupabaseSessionCookies(
  headers: Headers,
  tokens: { accessToken: string; refreshToken: string },
): Promise<boolean> {
  const written: Array<{ name: string; value: string; options: CookieOptions }> = [];
  const client = create(
    () => [],
    (toSet) => {
      written.push(...toSet);
    },
  );
  const { error } = await client.auth.setSession({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken });
  if (error) return false;
  for (const { name, value, options } of written) headers.append("Set-Cookie", serializeCookieHeader(name, value, options));
  return true;
}

/** Set-Cookie headers expiring every chunk of the session cookie the request carries (and the base name). */
export function appendSupabaseSessionClearing(headers: Headers, cookieHeader: string | null): void {
  const name = sessionCookieName();
  const names = new Set([
    name,
    ...parseCookieHeader(cookieHeader ?? "")
      .filter((c) => isChunkLike(c.name, name))
      .map((c) => c.name),
  ]);
  for (const stale of names) headers.append("Set-Cookie", serializeCookieHeader(stale, "", { ...cookieOptions(), maxAge: 0 }));
}

/** The tokens in a request's session cookie, read without a client (which would refresh, rotating the token). */
export async function supabaseSessionTokensOf(
  cookieHeader: string | null,
): Promise<{ accessToken?: string; refreshToken?: string }> {
  const jar = new Map(parseCookieHeader(cookieHeader ?? "").map((c) => [c.name, c.value]));
  const raw = await combineChunks(sessionCookieName(), (chunk) => jar.get(chunk));
  if (!raw) return {};
  try {
    const session = JSON.parse(raw.startsWith("base64-") ? stringFromBase64URL(raw.slice("base64-".length)) : raw) as {
      access_token?: unknown;
      refresh_token?: unknown;
    };
    return {
      accessToken: typeof session.access_token === "string" ? session.access_token : undefined,
      refreshToken: typeof session.refresh_token === "string" ? session.refresh_token : undefined,
    };
  } catch {
    return {}; // Not a session: treated as none.
  }
}
