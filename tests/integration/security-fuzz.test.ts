import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { authCookieJar } from "../support/auth-next-headers";
import { createTestUser } from "../support/auth";
import { createTestAccount, createTestAdmin } from "../support/admin";
import { ne } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { appSettings } from "@/lib/db/schema";
import { FIRST_ADMIN_KEY } from "@/lib/db/queries/app-settings";
import { forgetRuntimeSettings } from "@/lib/settings/runtime";
import { actionOutcome, discoverActions } from "../support/server-actions";
import {
  createOwnedFixture,
  discoverRoutes,
  isPublic,
  routeKey,
  secretsOf,
  sendRaw,
  setUpSecurityScene,
  snapshotOf,
  startFront,
  type DiscoveredRoute,
  type Front,
  type SecurityScene,
} from "../support/security-routes";

// Writable cookies: server actions that sign in or out set them (route handlers read the request's own).
vi.mock("next/headers", () => import("../support/auth-next-headers"));

/**
 * Property-based fuzzing of every JSON (POST/PATCH) route found on disk: hostile bodies, ids and headers must
 * never produce a 5xx, a hang, a non-JSON error or a change to data the caller does not own.
 * Reproduce a failure with FUZZ_SEED=<seed printed by fast-check>.
 */
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const RUNS = 40;
const OWNER_RUNS = 20;
const TIMEOUT_MS = 5_000;
/** The owner's valid chat bodies really generate (offline model, ~15 ms a word): allow that, still catch a hang. */
const OWNER_TIMEOUT_MS = 15_000;

const allRoutes = await discoverRoutes();
const routes = allRoutes.filter((r) => r.method === "POST" || r.method === "PATCH");
const actions = await discoverActions();

// ---- arbitraries ---------------------------------------------------------------------------------------------

const FIELDS = [
  "project_name",
  "project_description",
  "system_prompt",
  "default_model",
  "memory_enabled",
  "memory_threshold",
  "memory_keep_recent",
  "project_id",
  "title",
  "chat_model",
  "message",
  "trigger",
  "sessionId",
  "messageId",
  "parts",
  "role",
  "id",
  "email",
  "password",
  "full_name",
  "token",
  "refresh_token",
  "new_password",
  // The admin API's.
  "status",
  "monthly_cost_limit",
  "monthly_token_limit",
  "signup_policy",
  "model_allow_list",
  "user_keys_enabled",
];

/** #12: text PostgreSQL cannot store as sent (NUL anywhere; unpaired surrogates in jsonb), inside ordinary text. */
const poisonedString = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.constantFrom("\u0000", "\ud800", "\udfff", "\udc00\ud800", "x\u0000\ud83d"),
    fc.string({ maxLength: 20 }),
  )
  .map((parts) => parts.join(""));

const hostileString = fc.oneof(
  poisonedString,
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "'; drop table projects; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "\u0000\u0001\u001f\u007f",
    "\u202e\u200b\ufeff",
    "𝕏🙂\ud800",
    "../../etc/passwd",
    "%00",
    "offline",
    "   ",
    "a".repeat(100_000),
  ),
);

/** Nested beyond any sane depth, built iteratively so the test itself never overflows. */
const deep = fc.integer({ min: 50, max: 2_000 }).map((depth) => {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
});

const wrongTyped = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant([]),
  fc.constant({}),
  hostileString,
  fc.array(fc.string(), { maxLength: 3 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  wrongTyped,
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 3 }),
  deep,
);

/** Known field names with hostile values: gets past "not an object" into each field's validation. */
const fieldBody = fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 5 });

const pollutionBody = fc.constantFrom(
  '{"__proto__":{"polluted":true,"project_name":"x"}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"project_name":"x","__proto__":{"isAdmin":true}}',
  '{"message":"hi","__proto__":null}',
);

const rawBody = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string(),
  fc.constantFrom("", "{", "[", "null", "1e999", '"x"', '{"a":'),
  pollutionBody,
  fc.constant(`{"message":"${"a".repeat(1_100_000)}"}`),
);

/** Every known field a string that cannot be stored as sent: past "wrong type" into the text rules. */
const poisonedBody = fc.dictionary(fc.constantFrom(...FIELDS), poisonedString, { minKeys: 1, maxKeys: 4 });

/** A body as sent on the wire (always a string, or absent). */
const bodyArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fieldBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: poisonedBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: hostileValue.map((v) => safeStringify(v)) },
  { weight: 2, arbitrary: rawBody },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const idArb = (own: string[]) =>
  fc.oneof(
    fc.uuid(),
    fc.string(),
    fc.constantFrom(
      "../",
      "..%2F..%2Fproject",
      "%00",
      "\u0000",
      "' or 1=1 --",
      "a".repeat(5_000),
      "00000000-0000-0000-0000-000000000000",
      "available-models",
      "",
    ),
    // The owner's real ids: as anyone else they must still be "not found".
    fc.constantFrom(...own),
  );

const contentTypeArb = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/merge-patch+json",
  "application/jsonx",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
  undefined,
);

// ---- the calls -----------------------------------------------------------------------------------------------

interface Outcome {
  status: number;
  contentType: string;
  text: string;
}

/** The handler's answer, body fully read, or a failure if it does not arrive within TIMEOUT_MS. */
async function send(
  route: DiscoveredRoute,
  params: Record<string, string>,
  headers: Record<string, string | undefined>,
  body: string | undefined,
  limitMs = TIMEOUT_MS,
): Promise<Outcome> {
  const clean = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  const path = route.path.replace(/\[([^\]]+)\]/g, (_, name: string) =>
    encodeURIComponent(params[name].replace(/[\ud800-\udfff]/g, "")),
  );
  const request = new Request(`http://localhost${path}`, { method: route.method, headers: clean, body });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${routeKey(route)} did not answer within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([
      (async () => {
        const response = await route.handler(request, { params: Promise.resolve(params) });
        return { status: response.status, contentType: response.headers.get("content-type") ?? "", text: await response.text() };
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function checkOutcome(key: string, outcome: Outcome, secrets: string[]) {
  expect(outcome.status, `${key} → ${outcome.status}: ${outcome.text.slice(0, 300)}`).toBeLessThan(500);
  if (outcome.status >= 400 && outcome.status !== 204) {
    expect(outcome.contentType, key).toMatch(/json/);
    const parsed = JSON.parse(outcome.text) as { detail?: unknown };
    expect(typeof parsed.detail, `${key}: ${outcome.text.slice(0, 300)}`).toBe("string");
  }
  for (const secret of secrets) expect(outcome.text.includes(secret), `${key} leaked ${secret}`).toBe(false);
}

describe(`fuzzing ${routes.length} JSON routes (${inject("testDatabase").kind})`, () => {
  let { standin, owner, other, target, before } = {} as SecurityScene;

  beforeAll(async () => {
    ({ standin, owner, other, target, before } = await setUpSecurityScene("fuzz-target"));
  });
  afterAll(() => standin.close());
  /** The fixture's rows alone: the owner's own runs add disposable projects beside it. */
  const pickTarget = (s: SecurityScene["before"]) => ({
    project: s.projects.find((p) => p.id === target.projectId),
    session: s.sessions.find((x) => x.id === target.sessionId),
    messages: s.messages.filter((m) => m.sessionId === target.sessionId),
  });

  it("finds the JSON routes", () => {
    expect(routes.map(routeKey)).toEqual(
      expect.arrayContaining(["POST /api/v1/project", "PATCH /api/v1/project/[id]", "POST /api/chat"]),
    );
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))("%s: hostile input from another user or nobody", async (key, route) => {
    const authArb = fc.constantFrom<Record<string, string | undefined>>(
      {},
      { authorization: `Bearer ${other.token}` },
      { authorization: `Bearer ${other.token}` },
      { authorization: "Bearer" },
      { authorization: "Bearer " },
      { authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer a.b.c" },
      { authorization: `Bearer ${"x".repeat(10_000)}` },
      { authorization: `Bearer ${owner.token.split(".").slice(0, 2).join(".")}.forged` },
      { cookie: `${ACCESS_COOKIE}=${other.token}` },
      { cookie: `${ACCESS_COOKIE}=\u0001; ${ACCESS_COOKIE}=x` },
    );
    const paramsArb = fc
      .tuple(...route.params.map(() => idArb([target.projectId, target.sessionId])))
      .map((values) => Object.fromEntries(route.params.map((name, i) => [name, values[i]])));
    await fc.assert(
      fc.asyncProperty(paramsArb, authArb, contentTypeArb, bodyArb, async (params, auth, contentType, body) => {
        const outcome = await send(route, params, { ...auth, "content-type": contentType }, body);
        checkOutcome(key, outcome, secretsOf(target));
      }),
      { numRuns: RUNS, seed },
    );
  });

  it("after all of that, nothing of A's changed", async () => {
    expect(await snapshotOf(owner.user.id)).toEqual(before);
  });

  // The owner's own run is confined to one disposable project (and its session): never to `target`.
  it.each(routes.filter((r) => !isPublic(r)).map((r) => [routeKey(r), r] as const))(
    "%s: hostile input from the owner, on a disposable resource",
    async (key, route) => {
      const disposable = await createOwnedFixture(owner, "fuzz-disposable");
      const idFor = (name: string) =>
        name === "projectId" || (name === "id" && route.path.startsWith("/api/v1/project/"))
          ? disposable.projectId
          : disposable.sessionId;
      const params = Object.fromEntries(route.params.map((name) => [name, idFor(name)]));
      // Besides the hostile bodies: well-formed ones whose text cannot be stored as sent, which get past every check
      // but the text rules and would reach the database (#12).
      const poisonedValid = fc.oneof(
        poisonedString.map((t) => ({ project_name: t, project_description: t, system_prompt: t })),
        poisonedString.map((t) => ({ project_id: disposable.projectId, title: t })),
        poisonedString.map((t) => ({ title: t })),
        poisonedString.map((t) => ({ message: t })),
        fc.tuple(poisonedString, poisonedString).map(([id, text]) => ({
          trigger: "submit-message",
          sessionId: disposable.sessionId,
          message: { id, role: "user", parts: [{ type: "text", text }] },
        })),
        poisonedString.map((t) => ({
          email: `fuzz-${crypto.randomUUID()}@example.test`,
          password: "a long enough password",
          full_name: t,
        })),
      );
      const input = fc.oneof(
        fc.tuple(contentTypeArb, bodyArb),
        fc.tuple(
          fc.constant("application/json"),
          poisonedValid.map((b) => JSON.stringify(b)),
        ),
      );
      await fc.assert(
        fc.asyncProperty(input, async ([contentType, body]) => {
          const outcome = await send(
            route,
            params,
            { authorization: `Bearer ${owner.token}`, "content-type": contentType },
            body,
            OWNER_TIMEOUT_MS,
          );
          checkOutcome(key, outcome, secretsOf(target));
        }),
        { numRuns: OWNER_RUNS, seed },
      );
      expect(pickTarget(await snapshotOf(owner.user.id))).toEqual(pickTarget(before));
    },
  );

  // Admin routes answer a non-admin 404 before reading a body: an admin must fuzz them to reach their validation.
  // [id] is a disposable account; the settings go back to the environment's afterwards.
  it.each(routes.filter((r) => r.path.startsWith("/api/v1/admin/")).map((r) => [routeKey(r), r] as const))(
    "%s: hostile input from an admin, on a disposable account",
    async (key, route) => {
      const admin = await createTestAdmin("Fuzzing admin");
      const account = await createTestAccount("Disposable");
      const params = Object.fromEntries(route.params.map((name) => [name, account.user.id]));
      const adminValid = fc.oneof(
        fc.record(
          {
            role: fc.constantFrom("user", "admin", "root", ""),
            status: fc.constantFrom("active", "disabled", "pending", null),
            monthly_cost_limit: fc.oneof(hostileString, fc.constantFrom("1", "0.5", "1e9", "-1", null)),
            monthly_token_limit: fc.oneof(fc.integer(), fc.double(), fc.constant(null)),
          },
          { requiredKeys: [] },
        ),
        fc.record(
          {
            signup_policy: fc.constantFrom("open", "approval", "closed", "nobody", null),
            model_allow_list: fc.oneof(fc.array(fc.oneof(poisonedString, hostileString), { maxLength: 3 }), fc.constant(null)),
            default_model: fc.oneof(poisonedString, fc.constant(null)),
            user_keys_enabled: fc.oneof(fc.boolean(), fc.constant(null), fc.constant("yes")),
          },
          { requiredKeys: [] },
        ),
        poisonedString.map((t) => ({
          email: `fuzz-${crypto.randomUUID()}@example.test`,
          password: "long enough pw",
          full_name: t,
        })),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.tuple(contentTypeArb, bodyArb),
            fc.tuple(
              fc.constant("application/json"),
              adminValid.map((b) => JSON.stringify(b)),
            ),
          ),
          async ([contentType, body]) => {
            const outcome = await send(
              route,
              params,
              { authorization: `Bearer ${admin.token}`, "content-type": contentType },
              body,
              TIMEOUT_MS,
            );
            checkOutcome(key, outcome, secretsOf(target));
          },
        ),
        { numRuns: OWNER_RUNS, seed },
      );
      await (await getDb()).delete(appSettings).where(ne(appSettings.key, FIRST_ADMIN_KEY));
      forgetRuntimeSettings();
    },
  );

  // ---- #12: methods, paths and queries as a client sends them, over HTTP through the proxy ------------------
  describe("#12 over HTTP, through the proxy", () => {
    let front: Front;
    beforeAll(async () => {
      front = await startFront(allRoutes);
    });
    afterAll(() => front.close());

    const methodArb = fc.constantFrom(
      "GET",
      "HEAD",
      "POST",
      "PUT",
      "PATCH",
      "DELETE",
      "OPTIONS",
      "TRACE",
      "PROPFIND",
      "MKCOL",
      "LOCK",
      "PURGE",
      "SEARCH",
    );
    /** Undecodable percent-encoding (and encodings of NUL and of a surrogate), as they reach the server. */
    const rawSegment = fc.constantFrom("%ZZ", "%", "%E0%A4%A", "%C0%AF", "%ED%A0%80", "%FF%FE", "a%2", "%00", "%2e%2e", "..%2F");
    const queryValue = fc.oneof(
      rawSegment,
      fc.constantFrom("a%00b", "%F0%9F%98%80", "-1", "1e999", "101"),
      fc.string({ maxLength: 20 }).map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ""))),
    );
    const queryArb = fc.oneof(
      fc.constant(""),
      fc
        .array(fc.tuple(fc.constantFrom("q", "limit", "cursor", "before", "project_id", "from", "to", "group_by"), queryValue), {
          minLength: 1,
          maxLength: 3,
        })
        .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`),
    );
    const templates = [...new Set(allRoutes.map((r) => r.path))];

    it.each(templates)(
      "#12 %s: odd methods (TRACE too), undecodable paths and poisoned queries never get a 5xx",
      async (template) => {
        const segment = fc.oneof(
          rawSegment,
          idArb([target.projectId, target.sessionId]).map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ""))),
        );
        const names = [...template.matchAll(/\[([^\]]+)\]/g)];
        const authArb = fc.constantFrom<Record<string, string>>(
          {},
          { authorization: `Bearer ${other.token}` },
          { authorization: "Bearer a.b.c" },
          { cookie: `${ACCESS_COOKIE}=${other.token}` },
        );
        await fc.assert(
          fc.asyncProperty(
            methodArb,
            fc.array(segment, { minLength: names.length, maxLength: names.length }),
            queryArb,
            authArb,
            bodyArb,
            async (method, values, query, auth, body) => {
              let i = 0;
              const path = template.replace(/\[[^\]]+\]/g, () => values[i++]) + query;
              const withBody = method !== "GET" && method !== "HEAD" && method !== "TRACE" && body !== undefined;
              const outcome = await sendRaw(
                front.url,
                method,
                path,
                { ...auth, ...(withBody ? { "content-type": "application/json" } : {}) },
                withBody ? body : undefined,
              );
              const key = `${method} ${path}`;
              expect(outcome.status, `${key} → ${outcome.status}: ${outcome.text.slice(0, 300)}`).toBeLessThan(500);
              for (const secret of secretsOf(target))
                expect(outcome.text.includes(secret), `${key} leaked ${secret}`).toBe(false);
            },
          ),
          { numRuns: RUNS, seed },
        );
      },
    );

    it("#12 after all of that, nothing of A's fixture changed", async () => {
      expect(pickTarget(await snapshotOf(owner.user.id))).toEqual(pickTarget(before));
    });
  });

  // ---- #12: every server action with hostile arguments, signed in as a third user on its own data ------------
  describe("#12 server actions", () => {
    const FORM_FIELDS = ["email", "password", "confirm", "full_name", "token", "next", "current_password", "confirm_email"];
    let fuzzer: Awaited<ReturnType<typeof createTestUser>>;
    let own: Awaited<ReturnType<typeof createOwnedFixture>>;
    beforeAll(async () => {
      fuzzer = await createTestUser("Fuzzer C");
      own = await createOwnedFixture(fuzzer, "fuzz-actions");
    });
    afterAll(() => authCookieJar.clear());

    const formArb = fc
      .dictionary(fc.constantFrom(...FORM_FIELDS), fc.oneof(poisonedString, hostileString), { maxKeys: 6 })
      .map((values) => {
        const data = new FormData();
        for (const [name, value] of Object.entries(values)) data.set(name, value);
        return data;
      });

    it.each(actions.map((a) => [a.key, a] as const))(
      "#12 %s: hostile arguments are answered, never thrown (a 500)",
      async (key, action) => {
        const argArb = fc.oneof(
          poisonedString,
          hostileValue,
          poisonedBody,
          formArb,
          fc.constantFrom<unknown>(own.projectId, own.sessionId, ...own.messageIds, undefined, null, {}),
        );
        await fc.assert(
          fc.asyncProperty(
            fc.array(argArb, { minLength: Math.max(action.fn.length, 1), maxLength: Math.max(action.fn.length, 1) }),
            async (args) => {
              authCookieJar.clear();
              authCookieJar.set(ACCESS_COOKIE, fuzzer.token);
              let result: Awaited<ReturnType<typeof actionOutcome>>;
              try {
                result = await actionOutcome(() => action.fn(...args));
              } catch (error) {
                throw new Error(`${key} threw (Next answers 500): ${String(error).slice(0, 300)}`);
              }
              const text = JSON.stringify(result) ?? "";
              for (const secret of secretsOf(target)) expect(text.includes(secret), `${key} leaked ${secret}`).toBe(false);
            },
          ),
          { numRuns: 15, seed },
        );
      },
    );
  });
});
