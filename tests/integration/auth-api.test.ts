import { beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { POST as refresh } from "@/app/api/v1/auth/refresh/route";
import { POST as logout } from "@/app/api/v1/auth/logout/route";
import { GET as sessionCheck } from "@/app/api/v1/auth/session-check/route";
import { resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { getDb } from "@/lib/db/client";
import { refreshTokens, users } from "@/lib/db/schema";
import { eq } from "drizzle-orm";

const BASE = "http://127.0.0.1:3000";

function post(
  handler: (request: Request) => Promise<Response>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return handler(
    new Request(`${BASE}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", host: "127.0.0.1:3000", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

const newEmail = () => `someone-${randomUUID()}@example.test`;
const PASSWORD = "correct horse battery";

async function signupUser(email = newEmail(), password = PASSWORD) {
  const response = await post(signup, "/api/v1/auth/signup", { email, password, full_name: "Ada Lovelace" });
  expect(response.status).toBe(201);
  return {
    email,
    password,
    body: (await response.json()) as { user: { id: string }; token: { access_token: string; refresh_token: string } },
  };
}

function check(headers: Record<string, string>) {
  return sessionCheck(new Request(`${BASE}/api/v1/auth/session-check`, { headers: { host: "127.0.0.1:3000", ...headers } }));
}

/** A bodiless logout from a browser page at `origin`, naming the session by its refresh cookie. */
function cookieLogout(origin: string, refreshToken: string) {
  return logout(
    new Request(`${BASE}/api/v1/auth/logout`, {
      method: "POST",
      headers: { host: "127.0.0.1:3000", origin, cookie: `parley_refresh=${refreshToken}` },
    }),
  );
}

beforeEach(() => resetRateLimitsForTests());

/** Makes a query wait for `gate` before it runs (`arrive` is told when it starts waiting). */
function holdQuery<Q extends { execute: (placeholders?: Record<string, unknown>) => Promise<unknown> }>(
  query: Q,
  gate: Promise<void>,
  arrive = () => {},
): Q {
  const execute = query.execute;
  query.execute = (placeholders) => {
    arrive();
    return gate.then(() => execute(placeholders));
  };
  return query;
}

/**
 * Refreshes one token twice at once, in the worst order, through the real queries: each claim (the UPDATE that
 * sets rotated_at) waits until both requests have read the unrotated row, and the winner's new token (its
 * INSERT) waits until the loser has answered, so the loser's revocation runs before the winner's token exists.
 */
async function raceTwoRefreshes(refreshToken: string): Promise<Response[]> {
  const db = await getDb();
  const [update, insert] = [db.update.bind(db), db.insert.bind(db)];
  let claims = 0;
  let bothRead!: () => void;
  const bothHaveRead = new Promise<void>((resolve) => (bothRead = resolve));
  let loserAnswered!: () => void;
  const loserHasAnswered = new Promise<void>((resolve) => (loserAnswered = resolve));
  const updates = vi.spyOn(db, "update").mockImplementation((table) => {
    const builder = update(table);
    if (table !== refreshTokens) return builder;
    const set = builder.set.bind(builder);
    builder.set = (values) =>
      "rotatedAt" in values ? holdQuery(set(values), bothHaveRead, () => ++claims === 2 && bothRead()) : set(values);
    return builder;
  });
  const inserts = vi.spyOn(db, "insert").mockImplementation((table) => {
    const builder = insert(table);
    if (table !== refreshTokens) return builder;
    const values = builder.values.bind(builder);
    builder.values = (row: Parameters<typeof values>[0]) => holdQuery(values(row), loserHasAnswered);
    return builder;
  });
  const requests = [0, 1].map(() => post(refresh, "/api/v1/auth/refresh", { refresh_token: refreshToken }));
  // Only the winner inserts, so the first request to answer is the loser.
  void Promise.race(requests).then(loserAnswered, loserAnswered);
  try {
    return await Promise.all(requests);
  } finally {
    updates.mockRestore();
    inserts.mockRestore();
  }
}

describe("signup", () => {
  it("creates the account, answers with user and tokens, sets both cookies", async () => {
    const email = newEmail();
    const response = await post(signup, "/api/v1/auth/signup", {
      email: email.toUpperCase(),
      password: PASSWORD,
      full_name: "Ada Lovelace",
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.user).toMatchObject({ email, full_name: "Ada Lovelace" });
    expect(body.user.created_at).toMatch(/Z$/);
    expect(body.token).toMatchObject({ token_type: "bearer", expires_in: 900 });
    expect(body.token.access_token.split(".")).toHaveLength(3);
    expect(body.token.refresh_token.length).toBeGreaterThanOrEqual(43);
    const cookies = response.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith("parley_access="))).toMatch(/HttpOnly; SameSite=Lax/);
    expect(cookies.find((c) => c.startsWith("parley_refresh="))).toMatch(/Max-Age=2592000/);

    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, body.user.id));
    expect(row.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    const [stored] = await db.select().from(refreshTokens).where(eq(refreshTokens.userId, body.user.id));
    expect(stored.tokenHash).not.toBe(body.token.refresh_token);
  });

  it("refuses a taken email (any case) with 409", async () => {
    const { email } = await signupUser();
    const again = await post(signup, "/api/v1/auth/signup", { email: email.toUpperCase(), password: PASSWORD });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "conflict:auth" });
  });

  it.each([
    ["malformed email", { email: "not-an-email", password: PASSWORD }, "email"],
    ["email with spaces", { email: "a b@example.test", password: PASSWORD }, "email"],
    ["email over 254 characters", { email: `${"a".repeat(250)}@example.test`, password: PASSWORD }, "email"],
    ["short password", { email: newEmail(), password: "short" }, "password"],
    ["password over 128", { email: newEmail(), password: "x".repeat(129) }, "password"],
    ["missing email", { password: PASSWORD }, "email"],
    ["missing password", { email: newEmail() }, "password"],
    ["empty full name", { email: newEmail(), password: PASSWORD, full_name: "" }, "full_name"],
    ["full name over 100", { email: newEmail(), password: PASSWORD, full_name: "n".repeat(101) }, "full_name"],
    ["number as password", { email: newEmail(), password: 123456789 }, "password"],
  ])("answers 422 for %s and creates nothing", async (_name, body, field) => {
    const response = await post(signup, "/api/v1/auth/signup", body);
    expect(response.status).toBe(422);
    const json = await response.json();
    expect(json.code).toBe("validation:auth");
    expect(json.errors.map((e: { path: string }) => e.path)).toContain(field);
    // No account under that email (counting all users would race with the other files on the shared database).
    const email = "email" in body ? body.email : undefined;
    if (typeof email === "string") {
      const db = await getDb();
      expect(await db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase()))).toEqual([]);
    }
  });

  it("answers 413 for a 10 MB password, 400 for non-JSON, 415 for the wrong content type", async () => {
    const huge = await post(signup, "/api/v1/auth/signup", { email: newEmail(), password: "x".repeat(10 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await post(signup, "/api/v1/auth/signup", "{not json")).status).toBe(400);
    const form = await post(signup, "/api/v1/auth/signup", "email=a@b.c&password=12345678", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
    expect((await post(signup, "/api/v1/auth/signup", "")).status).toBe(422);
  });

  it("#12 without TRUST_PROXY there is no client address: 20+ sign-ups from one client do not stop the next one's", async () => {
    // Every client looks the same here, so a per-address limit would be one budget for the whole server.
    for (let i = 0; i < 21; i++)
      expect((await post(signup, "/api/v1/auth/signup", { email: newEmail(), password: PASSWORD })).status).toBe(201);
    await signupUser();
  });
});

describe("login", () => {
  it("signs in with the right password (email case-insensitive) and the token passes session-check", async () => {
    const { email, body: created } = await signupUser();
    const response = await post(login, "/api/v1/auth/login", { email: email.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.user.id).toBe(created.user.id);
    expect(response.headers.getSetCookie().some((c) => c.startsWith("parley_access="))).toBe(true);
    const ok = await check({ authorization: `Bearer ${body.token.access_token}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ valid: true, user_id: created.user.id, email });
    const viaCookie = await check({ cookie: `parley_access=${body.token.access_token}` });
    expect(viaCookie.status).toBe(200);
  });

  it("gives the same 401 for a wrong password and an unknown email", async () => {
    const { email } = await signupUser();
    const wrong = await post(login, "/api/v1/auth/login", { email, password: "wrong password" });
    const unknown = await post(login, "/api/v1/auth/login", { email: newEmail(), password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual(b);
    expect(a).toEqual({ detail: "Invalid email or password", code: "unauthorized:auth" });
    expect(wrong.headers.getSetCookie()).toHaveLength(0);
  });

  it("throttles failed logins per email with 429 + Retry-After, even for the right password", async () => {
    const { email } = await signupUser();
    for (let i = 0; i < 5; i++)
      expect((await post(login, "/api/v1/auth/login", { email, password: `nope-${i}-xxxx` })).status).toBe(401);
    const blocked = await post(login, "/api/v1/auth/login", { email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.json()).toMatchObject({ code: "rate_limited:auth" });
    // Another account from the same address is not locked by this email's failures.
    const other = await signupUser();
    expect((await post(login, "/api/v1/auth/login", { email: other.email, password: PASSWORD })).status).toBe(200);
  });

  it("#12 without TRUST_PROXY, 30+ failed logins for other emails from the same client never refuse the victim's right password", async () => {
    const victim = await signupUser();
    for (let i = 0; i < 31; i++)
      expect((await post(login, "/api/v1/auth/login", { email: newEmail(), password: "whatever-123" })).status).toBe(401);
    expect((await post(login, "/api/v1/auth/login", { email: victim.email, password: PASSWORD })).status).toBe(200);
  });

  it.each([
    ["malformed email", { email: "@example.test", password: PASSWORD }, 422],
    ["missing password", { email: "a@example.test" }, 422],
    ["empty body", {}, 422],
  ])("refuses %s", async (_name, body, status) => {
    expect((await post(login, "/api/v1/auth/login", body)).status).toBe(status);
  });
});

describe("refresh", () => {
  it("rotates: the new token works, the old one is refused and revokes the family", async () => {
    const { body } = await signupUser();
    const first = await post(refresh, "/api/v1/auth/refresh", { refresh_token: body.token.refresh_token });
    expect(first.status).toBe(200);
    const rotated = await first.json();
    expect(rotated).toMatchObject({ token_type: "bearer", expires_in: 900 });
    expect(rotated.refresh_token).not.toBe(body.token.refresh_token);

    const replay = await post(refresh, "/api/v1/auth/refresh", { refresh_token: body.token.refresh_token });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: "unauthorized:auth" });
    // The replay revoked the family: the legitimately rotated token is dead too.
    expect((await post(refresh, "/api/v1/auth/refresh", { refresh_token: rotated.refresh_token })).status).toBe(401);
  });

  it("two concurrent uses of one refresh token: one wins, and the loser's failed claim revokes the family", async () => {
    const { body } = await signupUser();
    const raced = await raceTwoRefreshes(body.token.refresh_token);
    expect(raced.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = raced.find((r) => r.status === 200)!;
    // Two holders of one token means one of them is a thief: neither may keep a session.
    expect((await post(refresh, "/api/v1/auth/refresh", { refresh_token: (await winner.json()).refresh_token })).status).toBe(
      401,
    );
  });

  it("reads the refresh cookie when the browser sends no body", async () => {
    const { body } = await signupUser();
    const response = await refresh(
      new Request(`${BASE}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { host: "127.0.0.1:3000", cookie: `parley_refresh=${body.token.refresh_token}` },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((c) => c.startsWith("parley_refresh="))).toBe(true);
  });

  it.each([
    ["unknown", { refresh_token: "A".repeat(43) }, 401],
    ["missing", {}, 422],
    ["empty", { refresh_token: "" }, 422],
  ])("refuses an %s token", async (_name, body, status) => {
    expect((await post(refresh, "/api/v1/auth/refresh", body)).status).toBe(status);
  });

  it("refuses an expired refresh token", async () => {
    const { body } = await signupUser();
    const db = await getDb();
    await db
      .update(refreshTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(refreshTokens.userId, body.user.id));
    expect((await post(refresh, "/api/v1/auth/refresh", { refresh_token: body.token.refresh_token })).status).toBe(401);
  });
});

describe("logout", () => {
  it("revokes the refresh token server-side and clears both cookies", async () => {
    const { body } = await signupUser();
    const response = await post(logout, "/api/v1/auth/logout", { refresh_token: body.token.refresh_token });
    expect(response.status).toBe(204);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const cookie of cookies) expect(cookie).toMatch(/Max-Age=0/);
    expect((await post(refresh, "/api/v1/auth/refresh", { refresh_token: body.token.refresh_token })).status).toBe(401);
  });

  it("revokes the session named by the browser's cookie", async () => {
    const { body } = await signupUser();
    const response = await cookieLogout(BASE, body.token.refresh_token);
    expect(response.status).toBe(204);
    expect((await post(refresh, "/api/v1/auth/refresh", { refresh_token: body.token.refresh_token })).status).toBe(401);
  });

  it("refuses a cross-site cookie logout, and answers 204 with nothing to revoke", async () => {
    const { body } = await signupUser();
    const forged = await cookieLogout("https://evil.example", body.token.refresh_token);
    expect(forged.status).toBe(403);
    expect((await post(refresh, "/api/v1/auth/refresh", { refresh_token: body.token.refresh_token })).status).toBe(200);
    expect((await logout(new Request(`${BASE}/api/v1/auth/logout`, { method: "POST" }))).status).toBe(204);
  });
});

describe("session-check", () => {
  it("answers 401 without credentials or with garbage", async () => {
    expect((await check({})).status).toBe(401);
    const garbage = await check({ authorization: "Bearer not.a.jwt" });
    expect(garbage.status).toBe(401);
    expect(await garbage.json()).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
    expect((await check({ authorization: "Basic abc" })).status).toBe(401);
  });
});
