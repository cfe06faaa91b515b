import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Every Parley table lives in a schema of its own. On Supabase, `public` is served over the Data API to the
 * roles behind the browser's publishable key (anon, authenticated) and is granted to them by default; `parley`
 * is not exposed (migration 0003 moved the tables here, 0004 takes every privilege on it from those roles).
 * Raw SQL names tables through these objects: `${messages}` renders "parley"."messages".
 */
export const parley = pgSchema("parley");

/**
 * `parley.table` with row-level security on and no policies: only the owner role Parley connects as (which RLS
 * does not restrict) sees rows. Through this helper a table added later gets RLS in its generated migration too.
 * The cast keeps `parley.table`'s overloaded signature; `enableRLS` only flags the table for drizzle-kit.
 */
const parleyTable = ((name: string, columns: never, extraConfig?: never) =>
  parley.table(name, columns, extraConfig).enableRLS()) as unknown as typeof parley.table;

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
/** Full-text search vectors; only PostgreSQL reads them (search.ts), so the client never sees one. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * The text search configuration of every search vector and query: 'simple' lowercases and splits words without
 * stemming or stop words, so it treats every language alike (an 'english' stemmer would mangle French or German
 * and drop "the", "who" from phrases). Inflections are found by the prefix match on the word being typed.
 */
export const SEARCH_CONFIG = "simple";

const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** Built-in auth only. In Supabase mode, owners are Supabase user ids and this table stays empty. */
export const users = parleyTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    fullName: text("full_name").notNull().default(""),
    /** Access tokens carry it (`ver`); a password change or reset bumps it, so older tokens stop verifying. */
    tokenVersion: integer("token_version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`)],
);

/**
 * One login of a built-in account (a refresh-token family). Access tokens name it (`sid`); revoking it ends
 * the refresh tokens and the access tokens of that login together. One row to lock: a revocation and a
 * rotation of the same session serialize on it.
 */
export const authSessions = parleyTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

/** Opaque refresh tokens, stored hashed. A family is one login; reusing a rotated token revokes the family. */
export const refreshTokens = parleyTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    familyId: uuid("family_id")
      .notNull()
      .references(() => authSessions.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("refresh_tokens_hash_key").on(t.tokenHash),
    index("refresh_tokens_family_idx").on(t.familyId),
    index("refresh_tokens_user_idx").on(t.userId),
  ],
);

export const passwordResetTokens = parleyTable(
  "password_reset_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("password_reset_tokens_hash_key").on(t.tokenHash), index("password_reset_tokens_user_idx").on(t.userId)],
);

/**
 * Supabase accounts deleted in Parley (their data is gone; the auth record stays in Supabase, which only the
 * project's admin can remove). Access tokens of the user issued before `deleted_at` are refused, so a session
 * that outlived the deletion cannot write rows for an account that no longer exists here.
 */
export const deletedAccounts = parleyTable("deleted_accounts", {
  userId: uuid("user_id").primaryKey(),
  deletedAt: timestamp("deleted_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/**
 * owner_id has no foreign key on purpose: with Supabase Auth the owner lives in Supabase's auth schema,
 * which our migrations must not name (they also run on PGlite and plain Postgres).
 */
export const projects = parleyTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    systemPrompt: text("system_prompt").notNull().default(""),
    defaultModel: text("default_model"),
    memoryEnabled: boolean("memory_enabled").notNull().default(true),
    /** null = the platform default (MEMORY_SUMMARY_THRESHOLD). */
    memoryThreshold: integer("memory_threshold"),
    /** null = the platform default (MEMORY_KEEP_RECENT). */
    memoryKeepRecent: integer("memory_keep_recent"),
    /**
     * The account's default project ("Personal"), made the first time the user lands without one so that a new
     * account can type its first message at once. At most one per owner (the partial unique index), so two tabs
     * landing together make one; renaming it keeps it the default, deleting it leaves the account without one.
     */
    isDefault: boolean("is_default").notNull().default(false),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("projects_owner_activity_idx").on(t.ownerId, t.lastActivityAt.desc(), t.id.desc()),
    uniqueIndex("projects_owner_default_key")
      .on(t.ownerId)
      .where(sql`${t.isDefault}`),
  ],
);

export const summaryStatuses = ["none", "pending", "ready", "failed"] as const;
export type SummaryStatus = (typeof summaryStatuses)[number];

export const chatSessions = parleyTable(
  "chat_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id").notNull(),
    title: text("title").notNull().default("New Chat"),
    /** Named by a person (rename, PATCH, or a title given at creation): a generated title never replaces it. */
    titleSetByUser: boolean("title_set_by_user").notNull().default(false),
    /** Pinned chats are listed first in their project (the sidebar asks for them separately). */
    pinnedAt: timestamp("pinned_at", { withTimezone: true, mode: "date" }),
    /** Archived chats are left out of the sidebar and of default lists; nothing else changes. */
    archivedAt: timestamp("archived_at", { withTimezone: true, mode: "date" }),
    model: text("model").notNull(),
    /** Last sequence number handed out; messages take `last_seq + 1` atomically (a total order per session). */
    lastSeq: integer("last_seq").notNull().default(0),
    messageCount: integer("message_count").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** A reply being generated: set by compare-and-set so a second send answers 409 on any instance. */
    generationId: uuid("generation_id"),
    generationExpiresAt: timestamp("generation_expires_at", { withTimezone: true, mode: "date" }),
    /**
     * The end of the branch the chat shows and continues (messages form a tree, see messages.parent_id): the
     * active path is this message and its ancestors. Null only before the first message. No foreign key: the
     * two tables would reference each other; a message is deleted only with its chat.
     */
    activeLeafId: uuid("active_leaf_id"),
    /**
     * Memory: the summary in use for the active path and the sequence number of the last message it covers (the
     * compare-and-set key). Every summary made is kept in message_summaries, keyed by its last message; these
     * columns copy the one that is deepest on the active path, and change with the path.
     */
    summary: text("summary"),
    summaryThroughSeq: integer("summary_through_seq").notNull().default(0),
    summaryCoveredMessages: integer("summary_covered_messages").notNull().default(0),
    summaryStatus: text("summary_status", { enum: summaryStatuses }).notNull().default("none"),
    summaryUpdatedAt: timestamp("summary_updated_at", { withTimezone: true, mode: "date" }),
    summaryError: text("summary_error"),
    summaryFailures: integer("summary_failures").notNull().default(0),
    summaryRetryAt: timestamp("summary_retry_at", { withTimezone: true, mode: "date" }),
    summaryLeaseUntil: timestamp("summary_lease_until", { withTimezone: true, mode: "date" }),
    /** Input tokens of the last turn, as the provider reported them (the context gauge). */
    lastInputTokens: integer("last_input_tokens"),
    /** The title's words, for search (lib/db/queries/search.ts). */
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, "title")`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("chat_sessions_project_activity_idx").on(t.projectId, t.lastActivityAt.desc(), t.id.desc()),
    index("chat_sessions_owner_activity_idx").on(t.ownerId, t.lastActivityAt.desc(), t.id.desc()),
    // The sidebar asks for a project's pinned chats (and the Archived view for its archived ones) on every chat
    // page: without these, the activity index would walk all of a project's chats to find the few flagged.
    index("chat_sessions_project_pinned_idx")
      .on(t.projectId, t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.pinnedAt} is not null`),
    index("chat_sessions_project_archived_idx")
      .on(t.projectId, t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.archivedAt} is not null`),
    index("chat_sessions_search_idx").using("gin", t.searchVector),
  ],
);

export const messageRoles = ["user", "assistant"] as const;
export type MessageRole = (typeof messageRoles)[number];
export const messageStatuses = ["complete", "incomplete", "error"] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const messages = parleyTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => chatSessions.id, { onDelete: "cascade" }),
    /**
     * The session's owner, copied here for search only: it lets one index answer "this user's messages with
     * these words" without visiting another user's matches (see search_vector). Every other query still
     * reaches messages through chat_sessions.owner_id.
     */
    ownerId: uuid("owner_id").notNull(),
    /**
     * The message this one follows: messages form a tree (an edit is a sibling of the message it revises, a
     * regenerated reply a sibling of the previous one). Null for a chat's first message (and its edits). A child
     * is always stored after its parent, so seq grows along every path.
     */
    parentId: uuid("parent_id").references((): AnyPgColumn => messages.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    role: text("role", { enum: messageRoles }).notNull(),
    content: text("content").notNull(),
    /** AI SDK UIMessage parts (text, reasoning, …) as they were streamed. */
    parts: jsonb("parts")
      .$type<unknown[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    status: text("status", { enum: messageStatuses }).notNull().default("complete"),
    model: text("model"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    /**
     * What the provider charged for this reply, in USD, as it reported it (OpenRouter's usage accounting): an
     * exact decimal, read as a string, so sums never drift as float sums do. Null where no cost was reported.
     */
    cost: numeric("cost", { mode: "string" }),
    errorCode: text("error_code"),
    /**
     * The content's words plus one owner lexeme ('#' and the owner's id, which the parser can never produce
     * from text: '#' splits words). Search ANDs the owner lexeme into every query, so the GIN index intersects
     * the words with this owner's entries: a word another user wrote a million times costs this user nothing
     * (bench/sections/data.mjs measures it). The query still filters on owner_id itself; the lexeme only
     * speeds it up.
     */
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(sql`(to_tsvector('simple'::regconfig, "content") || ('#' || "owner_id"::text)::tsvector)`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_session_seq_key").on(t.sessionId, t.seq),
    // A message's versions (its siblings) and a subtree's walk down.
    index("messages_session_parent_idx").on(t.sessionId, t.parentId, t.seq),
    index("messages_search_idx").using("gin", t.searchVector),
    // Newest matches first by walking this user's messages in time order, when a word is too common for the
    // GIN index to be the cheaper way (the planner chooses per query from the word statistics).
    index("messages_owner_created_idx").on(t.ownerId, t.createdAt.desc(), t.id.desc()),
  ],
);

/**
 * Every memory summary made, keyed by the last message it covers: a summary covers a prefix of one path, so the
 * summary a path can use is the one keyed by its deepest message that has one. Kept when the chat moves to
 * another branch, so switching back and forth never summarizes the same messages twice.
 */
export const messageSummaries = parleyTable(
  "message_summaries",
  {
    throughMessageId: uuid("through_message_id")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id").notNull(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => chatSessions.id, { onDelete: "cascade" }),
    summary: text("summary").notNull(),
    /** The seq of through_message_id, copied: the path's messages after it are what the summary leaves out. */
    throughSeq: integer("through_seq").notNull(),
    coveredMessages: integer("covered_messages").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("message_summaries_session_idx").on(t.sessionId)],
);

export const usageKinds = ["reply", "title", "summary"] as const;
export type UsageKind = (typeof usageKinds)[number];

/**
 * One row per model call that cost tokens (a reply, a chat's title, a memory summary), written once when the
 * call ends (never per token), attributed to its owner, chat and project. The Usage page, the chat and project
 * totals and GET /api/v1/usage sum these rows in SQL (exact numeric sums). A reply's row is written in the
 * reply's own transaction (lib/db/queries/messages.ts). Deleting a chat or project keeps its rows (the money was
 * spent: a user's totals, and a budget, must not drop because a chat was deleted), only unlinked; deleting the
 * account deletes them (lib/db/queries/projects.ts deleteAllForOwner).
 */
export const usageEvents = parleyTable(
  "usage_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id").notNull(),
    /** Null once the chat is deleted. */
    sessionId: uuid("session_id").references(() => chatSessions.id, { onDelete: "set null" }),
    /** Null once the project is deleted. */
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "set null" }),
    kind: text("kind", { enum: usageKinds }).notNull(),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    /** USD, exact, as reported; null when the provider reported none (local and offline models). */
    cost: numeric("cost", { mode: "string" }),
    /**
     * The call went out with the user's own OpenRouter key (lib/user-keys): the user paid OpenRouter for it, so
     * team budgets and team cost reports leave it out.
     */
    billedToUserKey: boolean("billed_to_user_key").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    // Every read is one owner's rows over a date range (the Usage page, the API), or one chat's or project's.
    index("usage_events_owner_created_idx").on(t.ownerId, t.createdAt),
    index("usage_events_session_idx").on(t.sessionId),
    index("usage_events_project_idx").on(t.projectId),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;
export type ChatSessionRow = typeof chatSessions.$inferSelect;
/** A stored message as the app reads it: the search vector stays in the database (search.ts reads it there). */
export type MessageRow = Omit<typeof messages.$inferSelect, "searchVector">;

/**
 * The last good model list read from a provider's catalog (OpenRouter's `GET /models`), one row per catalog
 * address. Stored so every instance and a restart offer the same models without asking OpenRouter first; each
 * process keeps a copy in memory and re-reads this row when its copy is older than MODEL_CATALOG_TTL_MS.
 */
export const modelCatalog = parleyTable("model_catalog", {
  /** The catalog's address (OPENROUTER_BASE_URL), so a deployment switched to another endpoint starts afresh. */
  source: text("source").primaryKey(),
  /** The validated entries (lib/ai/catalog.ts `CatalogEntry[]`), in the order the catalog gave them. */
  models: jsonb("models").notNull(),
  fetchedAt: timestamp("fetched_at", { withTimezone: true, mode: "date" }).notNull(),
});

/**
 * A user's own OpenRouter API key (lib/user-keys), at most one per user, encrypted with AES-256-GCM under a key
 * derived from AUTH_SECRET. Never stored or returned in clear: the API shows only `last4`. No foreign key to
 * users: in Supabase mode owners are Supabase ids (as for projects); deleting the account deletes the row
 * (lib/db/queries/projects.ts deleteAllForOwner).
 */
export const userOpenRouterKeys = parleyTable("user_openrouter_keys", {
  ownerId: uuid("owner_id").primaryKey(),
  /** The encryption scheme and key derivation (lib/user-keys/crypto.ts `KEY_VERSION`). */
  keyVersion: integer("key_version").notNull(),
  /** Fingerprint of the derived key that sealed this row: a rotated AUTH_SECRET shows as a different id. */
  keyId: text("key_id").notNull(),
  /** base64url: the 12-byte random IV, the 16-byte GCM tag, the encrypted key. */
  iv: text("iv").notNull(),
  tag: text("tag").notNull(),
  ciphertext: text("ciphertext").notNull(),
  /** The key's last four characters, to show which key is saved. */
  last4: text("last4").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type UserOpenRouterKeyRow = typeof userOpenRouterKeys.$inferSelect;

export const accountRoles = ["user", "admin"] as const;
export type AccountRole = (typeof accountRoles)[number];
/** `pending`: waits for an admin's approval (sign-up policy `approval`); `disabled`: refused on every request. */
export const accountStatuses = ["active", "pending", "disabled"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

/**
 * Parley's own record of every account, in both auth modes (built-in: written with the user row at sign-up;
 * Supabase: when Parley first sees the user's verified token, lib/accounts/state.ts): the role, whether the account
 * may use Parley, and its monthly budget. No foreign key: with Supabase the user lives in Supabase's schema. A
 * missing row reads as an active user without a budget (accounts made before this table existed).
 */
export const accounts = parleyTable(
  "accounts",
  {
    userId: uuid("user_id").primaryKey(),
    /** As the auth backend reported it at the last sighting (search and the admin list only; never trusted for roles). */
    email: text("email").notNull().default(""),
    fullName: text("full_name").notNull().default(""),
    role: text("role", { enum: accountRoles }).notNull().default("user"),
    status: text("status", { enum: accountStatuses }).notNull().default("active"),
    /** USD per calendar month (UTC), exact; null = no cost limit. */
    monthlyCostLimit: numeric("monthly_cost_limit", { mode: "string" }),
    /** Input plus output tokens per calendar month (UTC); null = no token limit. */
    monthlyTokenLimit: bigint("monthly_token_limit", { mode: "number" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_email_idx").on(sql`lower(${t.email})`), index("accounts_created_idx").on(t.createdAt)],
);
export type AccountRow = typeof accounts.$inferSelect;

/**
 * Settings an admin changes at run time (sign-up policy, model allow-list, default model, user keys), one row per
 * key, overriding the environment's value while present. Also holds `first_admin`, the marker whose unique key
 * makes exactly one of two concurrent first sign-ups the admin.
 */
export const appSettings = parleyTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

/** Every change an admin made: who, what, to whom, when. Rows are never updated; they outlive the accounts named. */
export const adminAudit = parleyTable(
  "admin_audit",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorId: uuid("actor_id").notNull(),
    actorEmail: text("actor_email").notNull(),
    /** e.g. `user.role`, `user.status`, `user.budget`, `user.delete`, `user.create`, `settings.update`. */
    action: text("action").notNull(),
    targetId: uuid("target_id"),
    targetEmail: text("target_email"),
    /** The change itself (new values; never chat contents). */
    details: jsonb("details")
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index("admin_audit_created_idx").on(t.createdAt.desc(), t.id.desc())],
);
export type AdminAuditRow = typeof adminAudit.$inferSelect;
