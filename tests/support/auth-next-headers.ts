/**
 * Stands in for `next/headers` in the auth server-action tests: like next-cookies.ts, but the cookie store is
 * writable (the actions set and clear the session cookies), and writes are recorded with their options.
 */
export const authCookieJar = new Map<string, string>();
export const cookieWrites: Array<{ name: string; value: string; options: Record<string, unknown> }> = [];

export async function cookies() {
  return {
    get: (name: string) => (authCookieJar.has(name) ? { name, value: authCookieJar.get(name) as string } : undefined),
    has: (name: string) => authCookieJar.has(name),
    getAll: () => [...authCookieJar].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string, options: Record<string, unknown> = {}) => {
      cookieWrites.push({ name, value, options });
      if (options.maxAge === 0) authCookieJar.delete(name);
      else authCookieJar.set(name, value);
    },
  };
}

export async function headers() {
  return new Headers();
}
