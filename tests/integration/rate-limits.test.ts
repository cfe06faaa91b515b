import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { RateLimiterRes } from "rate-limiter-flexible";
import { eq, sql } from "drizzle-orm";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { POST as login } from "@/app/api/v1/auth/login/route";
import * as restChat from "@/app/api/v1/sessions/[id]/chat/route";
import * as restStream from "@/app/api/v1/sessions/[id]/chat/stream/route";
import * as uiChat from "@/app/api/chat/route";
import { createRateLimits, getRateLimits, resetRateLimitsForTests } from "@/lib/rate-limit/policy";
import { createLimiterStore, type LimiterStore } from "@/lib/rate-limit/store";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { resetConfigForTests } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { refreshTokens, users } from "@/lib/db/schema";
import { createTestUser } from "@/tests/support/auth";
import { createProjectRow, createSessionRow, storedMessages, storedSession } from "@/tests/support/chat-fixtures";
import { loginBurst } from "@/tests/support/login-burst";

/**
 * Every named limit through the real routes: the refusal is 429 with Retry-After and our JSON error shape, and
 * the refused request changed nothing (no account, no session tokens, no stored message).
 */

const MESSAGES_PER_MINUTE = 3;
const suiteBudget = process.env.RATE_LIMIT_MESSAGES_PER_MINUTE;

beforeEach(() => {
  process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = String(MESSAGES_PER_MINUTE);
  // Addresses come from X-Forwarded-For only behind a trusted proxy: needed to tell two clients apart here.
  process.env.TRUST_PROXY = "true";
  resetConfigForTests();
  resetRateLimitsForTests();
});
afterAll(() => {
  process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = suiteBudget;
  delete process.env.TRUST_PROXY;
  resetConfigForTests();
  resetRateLimitsForTests();
});

const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1:3000${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", host: "127.0.0.1:3000", ...headers },
    body: JSON.stringify(body),
  });

const PASSWORD = "correct horse battery";
const newEmail = () => `limits-${randomUUID()}@example.test`;
const fromIp = (ip: string) => ({ "x-forwarded-for": ip });
const freshIp = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}-${randomUUID().slice(0, 8)}`;

async function expectRefused(response: Response, code: string) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  const body = (await response.json()) as { code: string; detail: string };
  expect(body.code).toBe(code);
  expect(body.detail).toMatch(/\w+ \w+/);
  return body;
}

async function countRefreshTokens(userId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(refreshTokens)
    .where(eq(refreshTokens.userId, userId));
  return row.n;
}

async function signupAs(email: string, ip: string) {
  return signup(json("/api/v1/auth/signup", { email, password: PASSWORD }, fromIp(ip)));
}

describe("store", () => {
  it("keeps counters in this process's memory when REDIS_URL is not set", () => {
    expect(process.env.REDIS_URL).toBeUndefined();
    expect(getRateLimits().store.kind).toBe("memory");
  });
});

describe("login", () => {
  it("per email: after 5 failures even the right password is refused with 429, and no session is issued", async () => {
    const ip = freshIp();
    const email = newEmail();
    const created = await signupAs(email, ip);
    expect(created.status).toBe(201);
    const userId = ((await created.json()) as { user: { id: string } }).user.id;
    const tokensBefore = await countRefreshTokens(userId);

    for (let i = 0; i < 5; i++)
      expect((await login(json("/api/v1/auth/login", { email, password: `wrong-${i}-password` }, fromIp(ip)))).status).toBe(401);
    const refused = await login(json("/api/v1/auth/login", { email, password: PASSWORD }, fromIp(ip)));
    expect((await expectRefused(refused, "rate_limited:auth")).detail).toBe("Too many attempts. Please wait and try again.");
    expect(refused.headers.getSetCookie()).toHaveLength(0);
    expect(await countRefreshTokens(userId)).toBe(tokensBefore);
    // The same email from another address is refused too: the limit is on the account, not the client.
    await expectRefused(
      await login(json("/api/v1/auth/login", { email, password: PASSWORD }, fromIp(freshIp()))),
      "rate_limited:auth",
    );
  });

  it("per address: 30 failures across emails lock that address out, not others", async () => {
    const ip = freshIp();
    const email = newEmail();
    const created = await signupAs(email, freshIp());
    const userId = ((await created.json()) as { user: { id: string } }).user.id;
    const tokensBefore = await countRefreshTokens(userId);

    for (let i = 0; i < 30; i++)
      expect((await login(json("/api/v1/auth/login", { email: newEmail(), password: "whatever-123" }, fromIp(ip)))).status).toBe(
        401,
      );
    await expectRefused(await login(json("/api/v1/auth/login", { email, password: PASSWORD }, fromIp(ip))), "rate_limited:auth");
    expect(await countRefreshTokens(userId)).toBe(tokensBefore);
    expect((await login(json("/api/v1/auth/login", { email, password: PASSWORD }, fromIp(freshIp())))).status).toBe(200);
  });
});

describe("#12 concurrent logins", () => {
  it("40 wrong passwords for one email at once: at most 5 are checked, the rest are refused, and the right one then waits", async () => {
    const email = newEmail();
    expect((await signupAs(email, freshIp())).status).toBe(201);
    const statuses = await loginBurst(email, 40, fromIp(freshIp()));
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 429 && s !== 401)).toEqual([]);
    await expectRefused(
      await login(json("/api/v1/auth/login", { email, password: PASSWORD }, fromIp(freshIp()))),
      "rate_limited:auth",
    );
  });

  it("an attempt is taken before the check: a right password forgives the email and refunds the address, a check without a verdict refunds both", async () => {
    const limits = createRateLimits(createLimiterStore({ prefix: `t-${randomUUID()}` }), {
      messagesPerMinute: MESSAGES_PER_MINUTE,
    });
    const refused = async (attempt: Promise<unknown>) =>
      expect(
        (await attempt.then(
          () => undefined,
          (error: unknown) => error,
        )) as { status?: number },
      ).toMatchObject({ status: 429 });
    const email = newEmail();
    const ip = freshIp();
    // Ten checks that failed without a verdict (more than the email's 5): each attempt came back.
    for (let i = 0; i < 10; i++) await (await limits.beginLogin(email, ip)).abandoned();
    // Four wrong passwords, then the right one: the email starts over with 5.
    for (let i = 0; i < 4; i++) await limits.beginLogin(email, ip);
    await (await limits.beginLogin(email, ip)).succeeded();
    for (let i = 0; i < 5; i++) await limits.beginLogin(email, ip);
    await refused(limits.beginLogin(email, ip));

    // The address (30): 9 wrong so far; 20 more for other emails, then right passwords do not use it up.
    for (let i = 0; i < 20; i++) await limits.beginLogin(newEmail(), ip);
    for (let i = 0; i < 5; i++) await (await limits.beginLogin(newEmail(), ip)).succeeded();
    await limits.beginLogin(newEmail(), ip);
    const victim = newEmail();
    for (let i = 0; i < 6; i++) await refused(limits.beginLogin(victim, ip));
    // Refused by the address, the attempt went back to the email: from elsewhere it still has all 5.
    for (let i = 0; i < 5; i++) await limits.beginLogin(victim, freshIp());
    await refused(limits.beginLogin(victim, freshIp()));
  });
});

describe("signup", () => {
  it("per address: the 21st signup within the hour is refused and creates no account", async () => {
    const ip = freshIp();
    // Invalid bodies are refused before the throttle and do not count; a taken email does.
    for (let i = 0; i < 3; i++)
      expect((await signup(json("/api/v1/auth/signup", { email: newEmail(), password: "x" }, fromIp(ip)))).status).toBe(422);
    const taken = newEmail();
    expect((await signupAs(taken, ip)).status).toBe(201);
    expect((await signupAs(taken, ip)).status).toBe(409);
    for (let i = 0; i < 18; i++) expect((await signupAs(newEmail(), ip)).status).toBe(201);
    const email = newEmail();
    await expectRefused(await signupAs(email, ip), "rate_limited:auth");
    // No account under that email (a count of all users would race with the other files on the shared database).
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    // Another address still signs up.
    expect((await signupAs(newEmail(), freshIp())).status).toBe(201);
  });
});

describe("#12 behind a trusted proxy (TRUST_PROXY=true)", () => {
  it("counts the address the proxy appended: rotating a spoofed entry on the left (X-Forwarded-For: <spoofed>, <real>) does not escape the limit", async () => {
    const real = freshIp();
    const through = (spoofed: string) => ({ "x-forwarded-for": `${spoofed}, ${real}` });
    for (let i = 0; i < 20; i++)
      expect(
        (await signup(json("/api/v1/auth/signup", { email: newEmail(), password: PASSWORD }, through(freshIp())))).status,
      ).toBe(201);
    await expectRefused(
      await signup(json("/api/v1/auth/signup", { email: newEmail(), password: PASSWORD }, through(freshIp()))),
      "rate_limited:auth",
    );
    // A client cannot spend someone else's budget by writing their address on the left either.
    expect(
      (
        await signup(
          json("/api/v1/auth/signup", { email: newEmail(), password: PASSWORD }, { "x-forwarded-for": `${real}, ${freshIp()}` }),
        )
      ).status,
    ).toBe(201);
  });
});

/** A separate copy of rate-limiter-flexible, as another Next bundle carries one: its classes are not ours. */
function anotherCopyOfRateLimiterFlexible(): typeof import("rate-limiter-flexible") {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve("rate-limiter-flexible/package.json"));
  const ours = Object.entries(require.cache).filter(([id]) => id.startsWith(root));
  for (const [id] of ours) delete require.cache[id];
  try {
    return require("rate-limiter-flexible") as typeof import("rate-limiter-flexible");
  } finally {
    for (const id of Object.keys(require.cache)) if (id.startsWith(root)) delete require.cache[id];
    for (const [id, module] of ours) require.cache[id] = module;
  }
}

describe("#12 one store per process", () => {
  it("limits built on a store from another bundle (another copy of the library) still refuse with 429", async () => {
    const other = anotherCopyOfRateLimiterFlexible();
    expect(other.RateLimiterRes).not.toBe(RateLimiterRes);
    const store: LimiterStore = {
      kind: "memory",
      limiter: (spec) => new other.RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.duration }),
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const limits = createRateLimits(store, { messagesPerMinute: 1 });
    await limits.consumeChatMessage("someone");
    await expect(limits.consumeChatMessage("someone")).rejects.toMatchObject({ status: 429, code: "rate_limited:chat" });
  });
});

describe("sending messages", () => {
  const params = (id: string) => ({ params: Promise.resolve({ id }) });

  async function chatUser() {
    const { user, headers, token } = await createTestUser();
    const project = await createProjectRow(user.id);
    const session = await createSessionRow(user.id, project.id, "offline");
    return { user, headers, cookie: { cookie: `${ACCESS_COOKIE}=${token}` }, session };
  }

  const uiSend = (sessionId: string, text: string, cookie: Record<string, string>) =>
    uiChat.POST(
      json(
        "/api/chat",
        { trigger: "submit-message", sessionId, message: { id: randomUUID(), role: "user", parts: [{ type: "text", text }] } },
        cookie,
      ),
    );

  it("one budget per user across the REST, REST stream and UI routes; a refused send stores nothing", async () => {
    const { headers, cookie, session } = await chatUser();
    const rest = await restChat.POST(
      json(`/api/v1/sessions/${session.id}/chat`, { message: "one" }, headers),
      params(session.id),
    );
    expect(rest.status).toBe(200);
    const stream = await restStream.POST(
      json(`/api/v1/sessions/${session.id}/chat/stream`, { message: "two" }, headers),
      params(session.id),
    );
    expect(stream.status).toBe(200);
    await stream.text();
    const ui = await uiSend(session.id, "three", cookie);
    expect(ui.status).toBe(200);
    await ui.text();
    const stored = await storedMessages(session.id);
    expect(stored).toHaveLength(2 * MESSAGES_PER_MINUTE);

    const refusedRest = await restChat.POST(
      json(`/api/v1/sessions/${session.id}/chat`, { message: "four" }, headers),
      params(session.id),
    );
    const body = await expectRefused(refusedRest, "rate_limited:chat");
    expect(body.detail).toMatch(/^You are sending messages faster than this server allows\. Try again in \d+ seconds?\.$/);
    await expectRefused(
      await restStream.POST(json(`/api/v1/sessions/${session.id}/chat/stream`, { message: "five" }, headers), params(session.id)),
      "rate_limited:chat",
    );
    await expectRefused(await uiSend(session.id, "six", cookie), "rate_limited:chat");
    await expectRefused(
      await uiChat.POST(json("/api/chat", { trigger: "regenerate-message", sessionId: session.id }, cookie)),
      "rate_limited:chat",
    );

    // Nothing stored, nothing replaced, and the session is free (no lease left behind).
    expect((await storedMessages(session.id)).map((m) => m.id)).toEqual(stored.map((m) => m.id));
    expect((await storedSession(session.id)).generationId).toBeNull();
  });

  it("counts per user: another user still sends", async () => {
    const first = await chatUser();
    for (let i = 0; i < MESSAGES_PER_MINUTE; i++) {
      expect(
        (
          await restChat.POST(
            json(`/api/v1/sessions/${first.session.id}/chat`, { message: `m${i}` }, first.headers),
            params(first.session.id),
          )
        ).status,
      ).toBe(200);
    }
    await expectRefused(
      await restChat.POST(
        json(`/api/v1/sessions/${first.session.id}/chat`, { message: "over" }, first.headers),
        params(first.session.id),
      ),
      "rate_limited:chat",
    );
    const second = await chatUser();
    expect(
      (
        await restChat.POST(
          json(`/api/v1/sessions/${second.session.id}/chat`, { message: "mine" }, second.headers),
          params(second.session.id),
        )
      ).status,
    ).toBe(200);
    expect(await storedMessages(second.session.id)).toHaveLength(2);
  });
});
