/**
 * Stands in for `next/headers` when route handlers are called directly (outside a Next request, `cookies()`
 * throws). Use with `vi.mock("next/headers", () => import("../support/next-cookies"))`; tests put the browser's
 * cookies in `cookieJar`. Only the framework boundary is replaced: our auth code runs as in production.
 */
export const cookieJar = new Map<string, string>();

export async function cookies() {
  return {
    get: (name: string) => (cookieJar.has(name) ? { name, value: cookieJar.get(name) as string } : undefined),
    has: (name: string) => cookieJar.has(name),
    getAll: () => [...cookieJar].map(([name, value]) => ({ name, value })),
  };
}

export async function headers() {
  return new Headers();
}
