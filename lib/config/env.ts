import "server-only";
import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads process.env. Everything else asks `getConfig()`, which validates once and
 * caches, so a bad value fails at start (instrumentation.ts calls it) with a message naming the variable.
 */

/**
 * How long the model-calling routes may run on a serverless host (`export const maxDuration` in
 * app/api/chat and app/api/v1/sessions/[id]/chat[/stream]; Next needs a literal there, a test keeps them equal to
 * this). Within it: the reply (up to MODEL_TIMEOUT_MS), then the summary in `after()` (up to MODEL_TIMEOUT_MS
 * again), plus a margin for the database. 300 s is what Vercel's fluid compute allows on every plan.
 */
export const ROUTE_MAX_DURATION_S = 300;
export const ROUTE_DURATION_MARGIN_MS = 30_000;
/** The longest MODEL_TIMEOUT_MS a Vercel deployment accepts. */
export const VERCEL_MAX_MODEL_TIMEOUT_MS = (ROUTE_MAX_DURATION_S * 1000 - ROUTE_DURATION_MARGIN_MS) / 2;

/** Who may create an account: anyone, only admins, or anyone but each new account waits for an admin's approval. */
export const signupPolicies = ["open", "closed", "approval"] as const;
export type SignupPolicy = (typeof signupPolicies)[number];

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (hint: string) =>
  z.preprocess(emptyToUndefined, z.url({ message: `must be a full URL, ${hint}` }).optional());
const intWithDefault = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    VERCEL: optionalString,
    APP_URL: z.preprocess(
      emptyToUndefined,
      z.url({ message: "must be the public URL of the app, e.g. https://chat.example.com" }).default("http://localhost:3000"),
    ),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\/[^\s]+$/, {
          message: "must be a postgres:// URL such as postgres://user:password@host:5432/database",
        })
        .optional(),
    ),
    DATABASE_POOL_MAX: intWithDefault(10, 1, 200),
    PARLEY_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./.data")),
    AUTH_SECRET: z.preprocess(
      emptyToUndefined,
      z.string().min(32, { message: "must be at least 32 characters; generate one with `openssl rand -base64 32`" }).optional(),
    ),
    NEXT_PUBLIC_SUPABASE_URL: optionalUrl("e.g. https://<project>.supabase.co"),
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: optionalString,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
    SMTP_URL: optionalUrl("e.g. smtp://user:password@smtp.example.com:587"),
    SMTP_FROM: z.preprocess(emptyToUndefined, z.string().default("Parley <no-reply@localhost>")),
    OPENROUTER_API_KEY: optionalString,
    OPENROUTER_BASE_URL: z.preprocess(
      emptyToUndefined,
      z.url({ message: "must be a full URL such as https://openrouter.ai/api/v1" }).default("https://openrouter.ai/api/v1"),
    ),
    OPENROUTER_MODELS: optionalString,
    USER_KEYS_ENABLED: z.preprocess(
      emptyToUndefined,
      z
        .enum(["true", "false"], { message: 'must be "true" or "false"' })
        .default("true")
        .transform((value) => value === "true"),
    ),
    MODEL_CATALOG_TTL_MS: intWithDefault(86_400_000, 60_000, 30 * 86_400_000),
    OPENAI_COMPATIBLE_BASE_URL: optionalUrl("e.g. http://127.0.0.1:11434/v1 for Ollama"),
    OPENAI_COMPATIBLE_API_KEY: optionalString,
    MODEL_TIMEOUT_MS: intWithDefault(120_000, 1_000, 3_600_000),
    MODEL_STALL_TIMEOUT_MS: intWithDefault(30_000, 500, 600_000),
    SHUTDOWN_TIMEOUT_MS: intWithDefault(30_000, 1_000, 3_600_000),
    MEMORY_SUMMARY_THRESHOLD: intWithDefault(20, 2, 10_000),
    MEMORY_KEEP_RECENT: intWithDefault(6, 0, 1_000),
    MEMORY_CONTEXT_SHARE: z.preprocess(emptyToUndefined, z.coerce.number().gt(0).max(1).default(0.5)),
    MEMORY_SUMMARY_MODEL: optionalString,
    TITLE_MODEL: optionalString,
    REDIS_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^rediss?:\/\/[^\s]+$/, {
          message: "must be a redis:// (or rediss:// for TLS) URL such as redis://127.0.0.1:6379",
        })
        .optional(),
    ),
    RATE_LIMIT_PREFIX: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[\w.:-]{1,64}$/, { message: "must be 1–64 letters, digits, '.', ':', '_' or '-'" })
        .default("parley"),
    ),
    RATE_LIMIT_MESSAGES_PER_MINUTE: intWithDefault(20, 1, 100_000),
    RATE_LIMIT_IMPORTS_PER_HOUR: intWithDefault(20, 1, 100_000),
    MAX_PROJECTS_PER_USER: intWithDefault(1_000, 1, 1_000_000),
    MAX_SESSIONS_PER_PROJECT: intWithDefault(10_000, 1, 10_000_000),
    MAX_MESSAGES_PER_SESSION: intWithDefault(100_000, 2, 100_000_000),
    IMPORT_MAX_BYTES: intWithDefault(50 * 1024 * 1024, 1_024, 1024 * 1024 * 1024),
    CORS_ORIGINS: optionalString,
    ADMIN_EMAILS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\s*[^\s,@]+@[^\s,@]+\s*(,\s*[^\s,@]+@[^\s,@]+\s*)*,?\s*$/, {
          message: "must be a comma-separated list of email addresses such as alice@example.com,bob@example.com",
        })
        .optional(),
    ),
    SIGNUP_POLICY: z.preprocess(
      emptyToUndefined,
      z.enum(signupPolicies, { message: 'must be "open", "closed" or "approval"' }).default("open"),
    ),
    // How many proxies in front of the app append to X-Forwarded-For; "true" is one, as in Express's `trust proxy`.
    TRUST_PROXY: z.preprocess(
      (value) => (value === "true" ? "1" : value === "false" ? "0" : emptyToUndefined(value)),
      z
        .string()
        .regex(/^\d$/, { message: 'must be "false", "true" (one proxy) or the number of proxies in front of Parley (0–9)' })
        .default("0")
        .transform(Number),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.VERCEL === "1" && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message:
          "is required on Vercel: serverless functions have no persistent disk, so the embedded database would lose every write. Set it to your Postgres (e.g. Supabase) connection string",
      });
    }
    if (env.VERCEL === "1" && env.MODEL_TIMEOUT_MS > VERCEL_MAX_MODEL_TIMEOUT_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["MODEL_TIMEOUT_MS"],
        message: `must be at most ${VERCEL_MAX_MODEL_TIMEOUT_MS} on Vercel: a reply and the summary after it (each up to MODEL_TIMEOUT_MS) must end within the chat routes' maxDuration of ${ROUTE_MAX_DURATION_S} s, or Vercel cuts them`,
      });
    }
    const corsIssue = corsOriginsIssue(env.CORS_ORIGINS);
    if (corsIssue) ctx.addIssue({ code: "custom", path: ["CORS_ORIGINS"], message: corsIssue });
    // With the embedded database there is exactly one process, and the secret generated into its private data
    // folder is as good as a configured one. With a shared Postgres, instances must agree on one secret.
    // On Vercel too whatever NODE_ENV says: the generated secret would be written to a disk the function lacks.
    if (
      (env.NODE_ENV === "production" || env.VERCEL === "1") &&
      env.DATABASE_URL &&
      !env.AUTH_SECRET &&
      !(env.NEXT_PUBLIC_SUPABASE_URL && supabaseKeyOf(env))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message:
          "is required in production with DATABASE_URL for the built-in sign-in (every instance must sign sessions with the same key); generate one with `openssl rand -base64 32`",
      });
    }
    if (env.NEXT_PUBLIC_SUPABASE_URL && !supabaseKeyOf(env)) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY"],
        message: "is required when NEXT_PUBLIC_SUPABASE_URL is set (find it in Supabase → Project Settings → API Keys)",
      });
    }
  });

/** Each entry must be exactly an origin (scheme, host, port): a browser's Origin header is compared to it as is. */
function corsOriginsIssue(value: string | undefined): string | undefined {
  for (const entry of splitList(value)) {
    if (entry.includes("*")) {
      return "cannot contain *: the API allows credentials (cookies, Authorization), and browsers refuse a wildcard origin with credentials. List each origin, e.g. https://app.example.com,https://admin.example.com";
    }
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || `${url.origin}/` !== url.href.replace(/\/?$/, "/")) {
      return `must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only, no path): "${entry.replace(/\/\/[^@/]*@/, "//***@").slice(0, 80)}" is not one`;
    }
  }
  return undefined;
}

function splitList(value: string | undefined): string[] {
  return (
    value
      ?.split(",")
      .map((item) => item.trim())
      .filter(Boolean) ?? []
  );
}

/**
 * APP_URL, or on Vercel without it the project's production domain (a system variable Vercel sets), so a first
 * deploy sends password-reset links to itself rather than to localhost.
 */
function appUrlOf(source: Record<string, string | undefined>): string | undefined {
  const vercelDomain = source.VERCEL === "1" ? source.VERCEL_PROJECT_PRODUCTION_URL?.trim() : undefined;
  return source.APP_URL?.trim() || !vercelDomain ? source.APP_URL : `https://${vercelDomain}`;
}

function supabaseKeyOf(env: { NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY?: string; NEXT_PUBLIC_SUPABASE_ANON_KEY?: string }) {
  return env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ?? env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
}

export type RawEnv = z.infer<typeof envSchema>;

/** Every variable Parley reads, for checks that deployment files (docker-compose.yml) name only real ones. */
export const configVariableNames: readonly string[] = Object.keys(envSchema.shape);

export interface Config {
  nodeEnv: RawEnv["NODE_ENV"];
  isProduction: boolean;
  appUrl: string;
  database: { kind: "postgres"; url: string; poolMax: number } | { kind: "pglite"; dataDir: string };
  dataDir: string;
  authSecret?: string;
  supabase?: { url: string; key: string };
  smtp?: { url: string; from: string };
  /**
   * `models`: the allow-list, exact ids and `*` patterns (unset = the default free models); `catalogTtlMs`: how
   * old the model catalog may get before it is read again.
   */
  openRouter: { apiKey?: string; baseUrl: string; models?: string[]; catalogTtlMs: number };
  openAICompatible?: { baseUrl: string; apiKey?: string };
  /** Whether users may save their own OpenRouter key (USER_KEYS_ENABLED); read through lib/user-keys `userKeysEnabled`. */
  userKeysEnabled: boolean;
  modelTimeoutMs: number;
  modelStallTimeoutMs: number;
  /** On SIGTERM, how long running replies and summaries may take before they are cut and the process exits. */
  shutdownTimeoutMs: number;
  memory: { threshold: number; keepRecent: number; contextShare: number; summaryModel?: string };
  /** The model that titles new chats; unset = the summary model, else the chat's own model. */
  titleModel?: string;
  redisUrl?: string;
  /** Shared counters live under this Redis key prefix (several deployments, or test runs, can share a Redis). */
  rateLimit: { prefix: string; messagesPerMinute: number; importsPerHour: number };
  /** Caps per user (409 `limit:<what>` beyond them), so one account cannot grow the database without bound. */
  limits: { projectsPerUser: number; sessionsPerProject: number; messagesPerSession: number };
  /** The largest import file accepted (counted while the body is read; 413 beyond it). */
  importMaxBytes: number;
  corsOrigins: string[];
  /** Proxies in front of the app whose X-Forwarded-For entries are believed; 0 = the client's address is unknown. */
  trustProxyHops: number;
  /**
   * `adminEmails`: lower-cased; these accounts are admins in both auth modes (Supabase: the verified token's email
   * claim). `signupPolicy` is the default an admin's run-time setting overrides (as `userKeysEnabled` above).
   */
  admin: { adminEmails: string[]; signupPolicy: SignupPolicy };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates an environment object; exported for tests, which pass their own. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse({ ...source, APP_URL: appUrlOf(source) });
  if (!result.success) {
    // A failed parse has at least one issue.
    const first = result.error.issues[0]!;
    const variable = String(first.path[0] ?? "environment");
    const shown = source[variable] === undefined ? "it is not set" : `got "${redact(variable, source[variable])}"`;
    throw new ConfigError(
      `Invalid configuration: ${variable} ${first.message} (${shown}). Fix it in .env or your host's environment settings; see .env.example.`,
    );
  }
  const env = result.data;
  const dataDir = path.resolve(env.PARLEY_DATA_DIR);
  const supabaseKey = supabaseKeyOf(env);
  return {
    nodeEnv: env.NODE_ENV,
    isProduction: env.NODE_ENV === "production",
    appUrl: env.APP_URL.replace(/\/$/, ""),
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }
      : { kind: "pglite", dataDir },
    dataDir,
    authSecret: env.AUTH_SECRET,
    supabase:
      env.NEXT_PUBLIC_SUPABASE_URL && supabaseKey
        ? { url: env.NEXT_PUBLIC_SUPABASE_URL.replace(/\/$/, ""), key: supabaseKey }
        : undefined,
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.SMTP_FROM } : undefined,
    openRouter: {
      apiKey: env.OPENROUTER_API_KEY,
      baseUrl: env.OPENROUTER_BASE_URL.replace(/\/$/, ""),
      models: env.OPENROUTER_MODELS?.split(",")
        .map((m) => m.trim())
        .filter(Boolean),
      catalogTtlMs: env.MODEL_CATALOG_TTL_MS,
    },
    openAICompatible: env.OPENAI_COMPATIBLE_BASE_URL
      ? { baseUrl: env.OPENAI_COMPATIBLE_BASE_URL.replace(/\/$/, ""), apiKey: env.OPENAI_COMPATIBLE_API_KEY }
      : undefined,
    userKeysEnabled: env.USER_KEYS_ENABLED,
    modelTimeoutMs: env.MODEL_TIMEOUT_MS,
    modelStallTimeoutMs: env.MODEL_STALL_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    memory: {
      threshold: env.MEMORY_SUMMARY_THRESHOLD,
      keepRecent: env.MEMORY_KEEP_RECENT,
      contextShare: env.MEMORY_CONTEXT_SHARE,
      summaryModel: env.MEMORY_SUMMARY_MODEL,
    },
    titleModel: env.TITLE_MODEL,
    redisUrl: env.REDIS_URL,
    rateLimit: {
      prefix: env.RATE_LIMIT_PREFIX,
      messagesPerMinute: env.RATE_LIMIT_MESSAGES_PER_MINUTE,
      importsPerHour: env.RATE_LIMIT_IMPORTS_PER_HOUR,
    },
    limits: {
      projectsPerUser: env.MAX_PROJECTS_PER_USER,
      sessionsPerProject: env.MAX_SESSIONS_PER_PROJECT,
      messagesPerSession: env.MAX_MESSAGES_PER_SESSION,
    },
    importMaxBytes: env.IMPORT_MAX_BYTES,
    // Normalised as browsers send Origin (lower-case host, no default port, no trailing slash).
    corsOrigins: splitList(env.CORS_ORIGINS).map((origin) => new URL(origin).origin),
    trustProxyHops: env.TRUST_PROXY,
    admin: {
      adminEmails: splitList(env.ADMIN_EMAILS).map((email) => email.toLowerCase()),
      signupPolicy: env.SIGNUP_POLICY,
    },
  };
}

function redact(variable: string, value: string | undefined): string {
  if (value === undefined) return "";
  if (/KEY|SECRET|PASSWORD/.test(variable)) return "***";
  // Connection strings carry passwords: show the scheme and host only.
  return value.replace(/\/\/[^@/]*@/, "//***@").slice(0, 120);
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests change the environment between cases; production never calls this. */
export function resetConfigForTests(): void {
  cached = undefined;
}
