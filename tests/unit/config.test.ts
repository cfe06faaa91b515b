import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, ROUTE_MAX_DURATION_S, VERCEL_MAX_MODEL_TIMEOUT_MS } from "@/lib/config/env";

describe("configuration", () => {
  it("defaults to the embedded database in ./.data with nothing set", () => {
    const config = parseConfig({});
    expect(config.database.kind).toBe("pglite");
    expect(config.dataDir.endsWith(".data")).toBe(true);
    expect(config.memory).toMatchObject({ threshold: 20, keepRecent: 6, contextShare: 0.5 });
    expect(config.openRouter.baseUrl).toBe("https://openrouter.ai/api/v1");
  });

  it("reads the admin settings: ADMIN_EMAILS lower-cased, the sign-up policy, user keys", () => {
    expect(parseConfig({}).admin).toEqual({ adminEmails: [], signupPolicy: "open" });
    const config = parseConfig({
      ADMIN_EMAILS: " Ada@Example.com, bob@example.com ,",
      SIGNUP_POLICY: "approval",
      USER_KEYS_ENABLED: "false",
    });
    expect(config.admin).toEqual({
      adminEmails: ["ada@example.com", "bob@example.com"],
      signupPolicy: "approval",
    });
    expect(config.userKeysEnabled).toBe(false);
    expect(() => parseConfig({ SIGNUP_POLICY: "invite" })).toThrow(/SIGNUP_POLICY must be "open", "closed" or "approval"/);
    expect(() => parseConfig({ ADMIN_EMAILS: "not-an-email" })).toThrow(/ADMIN_EMAILS must be a comma-separated list/);
    expect(() => parseConfig({ USER_KEYS_ENABLED: "yes" })).toThrow(/USER_KEYS_ENABLED/);
  });

  it("uses postgres.js when DATABASE_URL is set", () => {
    const config = parseConfig({ DATABASE_URL: "postgres://u:p@db:5432/x" });
    expect(config.database).toMatchObject({ kind: "postgres", url: "postgres://u:p@db:5432/x" });
  });

  it("names the bad variable, hides its password and says how to fix it", () => {
    let error: unknown;
    try {
      parseConfig({ DATABASE_URL: "mysql://root:hunter2@db/x" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("postgres://");
    expect(message).not.toContain("hunter2");
    expect(message.split("\n")).toHaveLength(1);
  });

  it("refuses Vercel without DATABASE_URL and explains why", () => {
    expect(() => parseConfig({ VERCEL: "1" })).toThrow(/DATABASE_URL.*persistent disk/);
  });

  it("requires AUTH_SECRET in production with a shared database, but not with Supabase Auth", () => {
    expect(() => parseConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://db/x" })).toThrow(/AUTH_SECRET/);
    expect(() =>
      parseConfig({
        NODE_ENV: "production",
        DATABASE_URL: "postgres://db/x",
        NEXT_PUBLIC_SUPABASE_URL: "https://x.supabase.co",
        NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "sb_publishable_x",
      }),
    ).not.toThrow();
  });

  it("#13 on Vercel, refuses a MODEL_TIMEOUT_MS the chat routes' maxDuration cannot hold (a reply, then its summary)", () => {
    const vercel = { VERCEL: "1", DATABASE_URL: "postgres://db/x", AUTH_SECRET: "x".repeat(32) };
    // The default fits, with room for the summary after the reply and a margin.
    expect(parseConfig(vercel).modelTimeoutMs).toBe(120_000);
    expect(2 * 120_000 + 30_000).toBeLessThanOrEqual(ROUTE_MAX_DURATION_S * 1000);
    expect(parseConfig({ ...vercel, MODEL_TIMEOUT_MS: String(VERCEL_MAX_MODEL_TIMEOUT_MS) }).modelTimeoutMs).toBe(135_000);
    const tooLong = () => parseConfig({ ...vercel, MODEL_TIMEOUT_MS: String(VERCEL_MAX_MODEL_TIMEOUT_MS + 1) });
    expect(tooLong).toThrow(/^Invalid configuration: MODEL_TIMEOUT_MS must be at most 135000 on Vercel.*maxDuration of 300 s/);
    expect(tooLong).toThrow(ConfigError);
    // Elsewhere nothing cuts a long request: any timeout in range is fine.
    expect(parseConfig({ MODEL_TIMEOUT_MS: "600000" }).modelTimeoutMs).toBe(600_000);
  });

  it("#13 on Vercel, APP_URL defaults to the project's production domain", () => {
    const vercel = { VERCEL: "1", DATABASE_URL: "postgres://db/x", AUTH_SECRET: "x".repeat(32) };
    expect(parseConfig({ ...vercel, VERCEL_PROJECT_PRODUCTION_URL: "parley-team.vercel.app" }).appUrl).toBe(
      "https://parley-team.vercel.app",
    );
    expect(
      parseConfig({ ...vercel, VERCEL_PROJECT_PRODUCTION_URL: "parley-team.vercel.app", APP_URL: "https://chat.example.com/" })
        .appUrl,
    ).toBe("https://chat.example.com");
    expect(parseConfig({ VERCEL_PROJECT_PRODUCTION_URL: "parley-team.vercel.app" }).appUrl).toBe("http://localhost:3000");
  });

  it("#13 on Vercel, a shared database needs AUTH_SECRET whatever NODE_ENV says (nothing may be written to disk)", () => {
    expect(() => parseConfig({ VERCEL: "1", NODE_ENV: "test", DATABASE_URL: "postgres://db/x" })).toThrow(
      /AUTH_SECRET is required/,
    );
  });

  it("#13 CORS_ORIGINS: origins only, normalised as browsers send them; a wildcard is refused in one line", () => {
    expect(parseConfig({}).corsOrigins).toEqual([]);
    expect(
      parseConfig({ CORS_ORIGINS: " https://App.Example.com/ , http://localhost:5173,https://x.test:443" }).corsOrigins,
    ).toEqual(["https://app.example.com", "http://localhost:5173", "https://x.test"]);
    for (const wildcard of ["*", "https://app.example.com,*", "https://*.example.com"]) {
      let message = "";
      try {
        parseConfig({ CORS_ORIGINS: wildcard });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Invalid configuration: CORS_ORIGINS cannot contain \*: .*credentials/);
      expect(message.split("\n")).toHaveLength(1);
    }
    for (const bad of [
      "app.example.com",
      "https://app.example.com/path",
      "ftp://files.example.com",
      "https://u:p@a.test",
      "null",
    ])
      expect(() => parseConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS must be a comma-separated list of origins/);
  });

  it("rejects numbers out of range", () => {
    expect(() => parseConfig({ MEMORY_CONTEXT_SHARE: "2" })).toThrow(/MEMORY_CONTEXT_SHARE/);
    expect(() => parseConfig({ MEMORY_SUMMARY_THRESHOLD: "abc" })).toThrow(/MEMORY_SUMMARY_THRESHOLD/);
  });

  it("keeps rate limits in memory by default; REDIS_URL, prefix and message budget are validated", () => {
    expect(parseConfig({})).toMatchObject({ redisUrl: undefined, rateLimit: { prefix: "parley", messagesPerMinute: 20 } });
    const config = parseConfig({
      REDIS_URL: "redis://:pw@cache:6379/2",
      RATE_LIMIT_PREFIX: "team-a",
      RATE_LIMIT_MESSAGES_PER_MINUTE: "60",
    });
    expect(config).toMatchObject({
      redisUrl: "redis://:pw@cache:6379/2",
      rateLimit: { prefix: "team-a", messagesPerMinute: 60 },
    });
    expect(() => parseConfig({ REDIS_URL: "http://cache:6379" })).toThrow(/REDIS_URL must be a redis:\/\//);
    expect(() => parseConfig({ REDIS_URL: "cache:6379" })).toThrow(/REDIS_URL/);
    expect(() => parseConfig({ RATE_LIMIT_PREFIX: "has space" })).toThrow(/RATE_LIMIT_PREFIX/);
    expect(() => parseConfig({ RATE_LIMIT_MESSAGES_PER_MINUTE: "0" })).toThrow(/RATE_LIMIT_MESSAGES_PER_MINUTE/);
  });

  it("#12 TRUST_PROXY is a count of proxy hops: unset/false 0, true 1, a number as given; anything else names the variable", () => {
    expect(parseConfig({}).trustProxyHops).toBe(0);
    expect(parseConfig({ TRUST_PROXY: "" }).trustProxyHops).toBe(0);
    expect(parseConfig({ TRUST_PROXY: "false" }).trustProxyHops).toBe(0);
    expect(parseConfig({ TRUST_PROXY: "true" }).trustProxyHops).toBe(1);
    expect(parseConfig({ TRUST_PROXY: "2" }).trustProxyHops).toBe(2);
    for (const bad of ["yes", "-1", "1.5", "2 proxies", "100"])
      expect(() => parseConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be "false", "true"/);
  });

  it("#12 has generous quotas by default; each can be set, and nonsense stops the start", () => {
    expect(parseConfig({}).limits).toEqual({ projectsPerUser: 1_000, sessionsPerProject: 10_000, messagesPerSession: 100_000 });
    expect(
      parseConfig({ MAX_PROJECTS_PER_USER: "5", MAX_SESSIONS_PER_PROJECT: "6", MAX_MESSAGES_PER_SESSION: "7" }).limits,
    ).toEqual({ projectsPerUser: 5, sessionsPerProject: 6, messagesPerSession: 7 });
    expect(() => parseConfig({ MAX_PROJECTS_PER_USER: "0" })).toThrow(/MAX_PROJECTS_PER_USER/);
    expect(() => parseConfig({ MAX_SESSIONS_PER_PROJECT: "many" })).toThrow(/MAX_SESSIONS_PER_PROJECT/);
    // A chat must hold at least one turn (a message and its reply).
    expect(() => parseConfig({ MAX_MESSAGES_PER_SESSION: "1" })).toThrow(/MAX_MESSAGES_PER_SESSION/);
  });
});
