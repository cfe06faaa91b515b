// Section 2: scale of data. The same requests on a small database and after bulk-seeding the same user to
// 1,000 projects, 10,000 sessions and 1,000,000 messages; plus the query plans of the statements behind them.
import { randomUUID } from "node:crypto";
import { percentile } from "../lib/chart.mjs";
import { BENCH_MODEL, restTurn, signUp, timedGet } from "../lib/client.mjs";
import { target } from "./latency.mjs";

/**
 * @import { Sql } from "postgres"
 * @import { BenchUser } from "../lib/client.mjs"
 * @import { BenchContext, BenchServer } from "../lib/harness.mjs"
 */

/** @typedef {{ n: number, median: number, p95: number }} Stats */
/** @typedef {{ name: string, short: string, run: () => Promise<number> }} TimedRequest */
/** @typedef {{ projects: number, sessions: number, messages: number }} Counts */
/**
 * What the requests read: a project, a session with history (and a cursor into it), and the session to chat in.
 * @typedef {{ projectId: string, historySession: string, olderCursor: string, turnSession: () => string }} RequestContext
 */

const SAMPLES = 30;
const WARMUP = 10;
const SESSIONS_PER_PROJECT = 10;
/** Projects in the small phase: more than one page (50), so the first pages are full in both phases. */
const SMALL_PROJECTS = 60;
const MESSAGES_PER_SESSION = 100;
/** "Flat": the large database's median within 1.5× the small one's, or within 5 ms of it (noise on a shared machine). */
const FLAT_RATIO = 1.5;
const FLAT_SLACK_MS = 5;

/**
 * Bulk insert with generate_series, in three statements (projects, their sessions, their messages): a million
 * rows in seconds, with the counters (last_seq, message_count) consistent with the rows, as the app keeps them.
 * @param {Sql} sql
 * @param {string} ownerId
 * @param {{ tag: string, projects: number, sessionsPerProject?: number, messagesPerSession?: number }} shape
 */
export async function seed(
  sql,
  ownerId,
  { tag, projects, sessionsPerProject = SESSIONS_PER_PROJECT, messagesPerSession = MESSAGES_PER_SESSION },
) {
  const like = `${tag} project %`;
  await sql`
    insert into parley.projects (owner_id, name, memory_enabled, default_model, last_activity_at)
    select ${ownerId}, ${tag} || ' project ' || g, false, ${BENCH_MODEL}, now() - g * interval '1 minute'
    from generate_series(1, ${projects}::int) g`;
  await sql`
    insert into parley.chat_sessions (project_id, owner_id, title, model, last_seq, message_count, last_activity_at)
    select p.id, ${ownerId}, 'Chat ' || s, ${BENCH_MODEL}, ${messagesPerSession}::int, ${messagesPerSession}::int, p.last_activity_at - s * interval '1 second'
    from parley.projects p cross join generate_series(1, ${sessionsPerProject}::int) s
    where p.owner_id = ${ownerId} and p.name like ${like}`;
  await sql`
    insert into parley.messages (session_id, owner_id, seq, role, content, parts, status, created_at)
    select cs.id, cs.owner_id, m, case when m % 2 = 1 then 'user' else 'assistant' end, t.text, jsonb_build_array(jsonb_build_object('type', 'text', 'text', t.text)), 'complete',
           cs.last_activity_at - (${messagesPerSession}::int - m) * interval '1 second'
    from parley.chat_sessions cs
    join parley.projects p on p.id = cs.project_id
    cross join generate_series(1, ${messagesPerSession}::int) m
    cross join lateral (select abs(hashtext(cs.id::text || ':' || m)) as h) r
    -- Searchable words of known frequency (the search measurements): lorem in every message, topicN in 1% of
    -- them, tagN in 0.01% (about 100 per million).
    cross join lateral (select 'Message ' || m || ' of a seeded chat: ' || repeat('lorem ipsum dolor sit amet ', 6)
                               || 'topic' || (r.h % 100) || ' tag' || (r.h % 10000) as text) t
    where p.owner_id = ${ownerId} and p.name like ${like}`;
  // Each chat one path (messages form a tree): every message follows the one before it, the last is the active leaf.
  await sql`
    update parley.messages as m set parent_id = prev.id
      from parley.messages prev
     where m.owner_id = ${ownerId} and prev.session_id = m.session_id and prev.seq = m.seq - 1 and m.parent_id is null`;
  await sql`
    update parley.chat_sessions cs set active_leaf_id = m.id
      from parley.messages m
     where cs.owner_id = ${ownerId} and m.session_id = cs.id and m.seq = cs.last_seq and cs.active_leaf_id is null`;
  // VACUUM too, as autovacuum would after a bulk insert: it sets the visibility map, without which an index-only
  // scan (search's step edge) still reads every heap page.
  await sql`vacuum analyze`;
}

/**
 * @param {Sql} sql
 * @param {string} ownerId
 * @returns {Promise<Counts>}
 */
async function counts(sql, ownerId) {
  /** @type {Counts[]} */
  const [row] = await sql`
    select (select count(*)::int from parley.projects where owner_id = ${ownerId}) as projects,
           (select count(*)::int from parley.chat_sessions where owner_id = ${ownerId}) as sessions,
           (select count(*)::int from parley.messages m join parley.chat_sessions cs on cs.id = m.session_id where cs.owner_id = ${ownerId}) as messages`;
  return row;
}

/** @param {number[]} values @returns {Stats} */
const stats = (values) => ({ n: values.length, median: percentile(values, 50), p95: percentile(values, 95) });

/**
 * Round-robin over the requests (one of each per round), so a noisy moment falls on all of them alike.
 * @param {TimedRequest[]} list
 */
async function measureAll(list) {
  for (let i = 0; i < WARMUP; i++) for (const request of list) await request.run();
  const values = list.map(() => /** @type {number[]} */ ([]));
  for (let i = 0; i < SAMPLES; i++) for (const [j, request] of list.entries()) values[j].push(await request.run());
  return values.map(stats);
}

/**
 * The requests measured in both phases; `ctx` names the project and sessions they read.
 * @param {BenchServer} server
 * @param {BenchUser} user
 * @param {RequestContext} ctx
 * @returns {TimedRequest[]}
 */
function requests(server, user, ctx) {
  /** @param {string} path @param {() => Promise<Record<string, string>>} auth */
  const get = (path, auth) => async () => (await timedGet(`${server.url}${path}`, await auth())).ms;
  return [
    { name: "Dashboard page (HTML, first page of projects)", short: "dashboard", run: get("/", user.cookie) },
    { name: "GET /api/v1/project (first page)", short: "projects API", run: get("/api/v1/project", user.bearer) },
    {
      name: "GET /api/v1/sessions?project_id= (first page)",
      short: "sessions (project)",
      run: get(`/api/v1/sessions?project_id=${ctx.projectId}`, user.bearer),
    },
    {
      name: "GET /api/v1/sessions (all projects, first page)",
      short: "sessions (all)",
      run: get("/api/v1/sessions", user.bearer),
    },
    {
      name: "GET /api/v1/sessions/{id}/history (newest page)",
      short: "history",
      run: get(`/api/v1/sessions/${ctx.historySession}/history`, user.bearer),
    },
    {
      name: "GET …/history?before= (an older page)",
      short: "history older",
      run: get(`/api/v1/sessions/${ctx.historySession}/history?before=${ctx.olderCursor}`, user.bearer),
    },
    {
      name: "Chat page (HTML: session list + newest messages)",
      short: "chat page",
      run: get(`/projects/${ctx.projectId}/chats/${ctx.historySession}`, user.cookie),
    },
    {
      name: "Chat turn, REST stream, time to first token",
      short: "turn TTFT",
      run: async () => (await restTurn(server.url, user, ctx.turnSession(), "Hello again")).ttftMs,
    },
  ];
}

/** @param {BenchContext} context */
export async function data({ server, db, scale }) {
  const sql = db.sql;
  // A user of its own: what other sections created must not count as this one's "small" data.
  const user = await signUp(server.url, "data");
  // Small: one project with a dozen 100-message chats (two of them only for the chat turns of each phase, so
  // the turns of the first phase do not lengthen the history the second phase sends), and enough small
  // projects that every list's first page is full in both phases: a page of 50 cards costs more to render than
  // a page of 1 whatever the database holds, and "flat" is about the database, not the page size.
  await seed(sql, user.id, { tag: "small", projects: 1, sessionsPerProject: 12 });
  await seed(sql, user.id, {
    tag: "filler",
    projects: SMALL_PROJECTS - 1,
    sessionsPerProject: SESSIONS_PER_PROJECT,
    messagesPerSession: 1,
  });
  /** @type {Array<{ id: string }>} */
  const [project] = await sql`select id from parley.projects where owner_id = ${user.id} and name = 'small project 1'`;
  /** @type {Array<{ id: string }>} */
  const sessions = await sql`select id from parley.chat_sessions where project_id = ${project.id} order by title`;
  const historySession = sessions[0].id;
  /** @type {Array<{ id: string }>} */
  const [older] = await sql`select id from parley.messages where session_id = ${historySession} and seq = 51`;
  /** @param {string} turnSession @returns {RequestContext} */
  const ctx = (turnSession) => ({ projectId: project.id, historySession, olderCursor: older.id, turnSession: () => turnSession });
  const small = await counts(sql, user.id);
  const smallResults = await measureAll(requests(server, user, ctx(sessions[10].id)));
  console.info(`[bench] data: small database measured (${small.messages} messages)`);

  // Large: the rest of the 1,000 projects, 10,000 sessions, 1,000,000 messages for the same user.
  const largeProjects = Math.max(1, Math.round(1000 * scale) - SMALL_PROJECTS);
  // Enough messages per session that the total reaches 1,000,000 (× scale).
  const messagesPerSession = Math.ceil((1_000_000 * scale - small.messages) / (largeProjects * SESSIONS_PER_PROJECT));
  const seedStarted = performance.now();
  await seed(sql, user.id, {
    tag: "large",
    projects: largeProjects,
    sessionsPerProject: SESSIONS_PER_PROJECT,
    messagesPerSession,
  });
  const seedSeconds = Number(((performance.now() - seedStarted) / 1000).toFixed(1));
  const large = await counts(sql, user.id);
  console.info(`[bench] data: seeded to ${large.messages} messages in ${seedSeconds} s`);
  const list = requests(server, user, ctx(sessions[11].id));
  const largeResults = await measureAll(list);

  const search = await searchScale({
    server,
    user,
    sql,
    seedOther: (ownerId) =>
      seed(sql, ownerId, {
        tag: "other",
        projects: largeProjects + SMALL_PROJECTS,
        sessionsPerProject: SESSIONS_PER_PROJECT,
        messagesPerSession,
      }),
  });

  const endpoints = list.map((r, i) => ({ name: r.name, short: r.short, small: smallResults[i], large: largeResults[i] }));
  const targets = endpoints.map((e) =>
    target(
      `${e.short} at ${large.messages.toLocaleString("en")} messages (≤ ${FLAT_RATIO}× small + ${FLAT_SLACK_MS} ms)`,
      e.large.median,
      e.small.median * FLAT_RATIO + FLAT_SLACK_MS,
    ),
  );
  const plans = await queryPlans(sql, user.id, project.id, historySession);
  targets.push(...search.targets);
  return {
    search,
    small,
    large,
    seedSeconds,
    samples: SAMPLES,
    endpoints,
    targets,
    plans,
    ids: { projectId: project.id, historySession },
  };
}

/**
 * What the search box sends (lib/search/terms.ts: the last word, unless finished, matches as a prefix), and
 * how often its words occur in the seeded text (seed(): lorem everywhere, topicN in 1%, tagN in 0.01%).
 * @typedef {{ q: string, short: string, words: string, prefix?: string }} Search
 * @type {Search[]}
 */
const SEARCHES = [
  { q: "tag4242 ", short: "rare word (0.01%)", words: "tag4242 " },
  { q: "tag424", short: "prefix being typed (0.11%)", words: "", prefix: "tag424" },
  { q: "topic42 ", short: "word in 1%", words: "topic42 " },
  { q: "lorem ", short: "word in every message", words: "lorem " },
  { q: '"ipsum dolor" -topic42', short: "phrase minus a word", words: '"ipsum dolor" -topic42' },
  { q: "zzyzx ", short: "no match", words: "zzyzx " },
];
/** The service's page size, its window of matching messages and its first step (lib/db/queries/search.ts). */
const SEARCH_LIMIT = 20;
const SEARCH_WINDOW = SEARCH_LIMIT * 5;
const SEARCH_RECENT = 10_000;
const SEARCH_TARGET_MS = 100;

/**
 * Search at 1M messages of the user, then again after another user gets a million messages with the same
 * words: the other user's matches must not slow this one's search (the owner lexeme, schema.ts).
 * @param {{ server: BenchServer, user: BenchUser, sql: Sql, seedOther: (ownerId: string) => Promise<void> }} args
 */
async function searchScale({ server, user, sql, seedOther }) {
  /** @type {TimedRequest[]} */
  const list = SEARCHES.map((s) => ({
    name: `GET /api/v1/search?q=${s.q}`,
    short: s.short,
    run: async () => (await timedGet(`${server.url}/api/v1/search?q=${encodeURIComponent(s.q)}`, await user.bearer())).ms,
  }));
  const alone = await measureAll(list);
  const plansAlone = await searchPlans(sql, user.id);
  console.info(`[bench] data: search measured; seeding another user's million messages…`);
  const otherStarted = performance.now();
  await seedOther(randomUUID());
  const otherSeedSeconds = Number(((performance.now() - otherStarted) / 1000).toFixed(1));
  const withOther = await measureAll(list);
  const plansWithOther = await searchPlans(sql, user.id);
  /** @type {Array<{ count: number }>} */
  const [{ count: totalMessages }] = await sql`select count(*)::int as count from parley.messages`;
  const queries = SEARCHES.map((s, i) => ({ q: s.q, short: s.short, alone: alone[i], withOther: withOther[i] }));
  const targets = queries.flatMap((r) => [
    target(`search "${r.q.trim()}" (${r.short}), median ≤ ${SEARCH_TARGET_MS} ms`, r.withOther.median, SEARCH_TARGET_MS),
    target(
      `search "${r.q.trim()}" with another user's 1M messages (≤ ${FLAT_RATIO}× alone + ${FLAT_SLACK_MS} ms)`,
      r.withOther.median,
      r.alone.median * FLAT_RATIO + FLAT_SLACK_MS,
    ),
  ]);
  return { queries, targets, otherSeedSeconds, totalMessages, plans: plansAlone, plansWithOther };
}

/**
 * EXPLAIN ANALYZE of searchChats' statements (lib/db/queries/search.ts), written out the same way: the recent
 * step, where it stopped, the GIN step for older messages (run only when the recent step found fewer than a
 * window, as the service does), and the titles.
 * @param {Sql} sql
 * @param {string} ownerId
 */
export async function searchPlans(sql, ownerId) {
  /** @param {string} text @param {unknown[]} params */
  const explain = async (text, params) => {
    /** @type {Array<{ "QUERY PLAN": string }>} */
    const rows = await sql.unsafe(`explain (analyze, buffers) ${text}`, /** @type {never} */ (params));
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  };
  const plans = [];
  for (const s of SEARCHES) {
    const query = s.prefix
      ? `(websearch_to_tsquery('simple', $2::text) && to_tsquery('simple', $3::text))`
      : `websearch_to_tsquery('simple', $2::text)`;
    const base = [ownerId, s.words, ...(s.prefix ? [`'${s.prefix}':*`] : [])];
    const next = `$${base.length + 1}`;
    const recentText = `
      select r.id, r.session_id, r.created_at, ts_rank(r.search_vector, ${query}) as rank
        from (select m.id, m.session_id, m.created_at, m.search_vector from parley.messages m where m.owner_id = $1::uuid
               order by m.created_at desc nulls last, m.id desc nulls last limit ${SEARCH_RECENT}) r
       where r.search_vector @@ ${query}
       order by r.created_at desc nulls last, r.id desc nulls last limit ${SEARCH_WINDOW}`;
    const steps = [{ name: "recent step", plan: await explain(recentText, base) }];
    const found = (await sql.unsafe(recentText, /** @type {never} */ (base))).length;
    if (found < SEARCH_WINDOW) {
      const edgeText = `select m.created_at, m.id from parley.messages m where m.owner_id = $1::uuid
                         order by m.created_at desc nulls last, m.id desc nulls last offset ${SEARCH_RECENT - 1} limit 1`;
      steps.push({ name: "edge", plan: await explain(edgeText, [ownerId]) });
      /** @type {Array<{ created_at: Date, id: string }>} */
      const [edge] = await sql.unsafe(edgeText, [ownerId]);
      if (edge) {
        const olderText = `
          select m.id, m.session_id, m.created_at, ts_rank(m.search_vector, ${query}) as rank
            from parley.messages m
           where m.owner_id = $1::uuid and m.search_vector @@ (${query} && ${next}::tsquery)
             and (m.created_at, m.id) < (${next.replace(/\d+/, (d) => String(Number(d) + 1))}::timestamptz, ${next.replace(/\d+/, (d) => String(Number(d) + 2))}::uuid)
           order by m.created_at desc, m.id desc limit ${SEARCH_WINDOW - found}`;
        steps.push({ name: "GIN step", plan: await explain(olderText, [...base, `'#${ownerId}'`, edge.created_at, edge.id]) });
      }
    }
    steps.push({
      name: "titles",
      plan: await explain(
        `select cs.id, cs.last_activity_at from parley.chat_sessions cs where cs.owner_id = $1::uuid and cs.search_vector @@ ${query}
          order by cs.last_activity_at desc nulls last, cs.id desc nulls last limit ${SEARCH_LIMIT + 1}`,
        base,
      ),
    });
    const plan = steps.map((step) => `-- ${step.name}\n${step.plan}`).join("\n\n");
    const executionMs = steps.reduce((sum, step) => sum + Number(/Execution Time: ([\d.]+) ms/.exec(step.plan)?.[1] ?? NaN), 0);
    plans.push({
      name: `search "${s.q.trim()}" (${s.short}): ${steps.map((step) => step.name).join(" + ")}`,
      usesIndex:
        /messages_search_idx|messages_owner_created_idx/.test(plan) && !/Seq Scan on (messages|chat_sessions)\b/.test(plan),
      executionMs: Number(executionMs.toFixed(3)),
      plan,
    });
  }
  return plans;
}

/**
 * EXPLAIN ANALYZE of the statements behind those requests, written as lib/db/queries/* builds them (same
 * filters, order — DESC NULLS LAST, see lib/db/queries/order.ts — and limits), on the large database. A plan "uses the indexes" when it has an index scan and
 * no sequential scan of the three big tables.
 * @param {Sql} sql
 * @param {string} ownerId
 * @param {string} projectId
 * @param {string} sessionId
 */
async function queryPlans(sql, ownerId, projectId, sessionId) {
  const middle = 51;
  const statements = [
    {
      name: "listProjects (dashboard, first page, with chat counts)",
      text: `select p.*, (select count(*)::int from parley.chat_sessions cs where cs.project_id = p.id and cs.owner_id = $1) as chat_count
             from parley.projects p where p.owner_id = $1 order by p.last_activity_at desc nulls last, p.id desc nulls last limit 51`,
      params: [ownerId],
    },
    {
      name: "listSessions (one project, the sidebar's unpinned chats)",
      text: `select * from parley.chat_sessions where owner_id = $1 and project_id = $2 and archived_at is null and pinned_at is null order by last_activity_at desc nulls last, id desc nulls last limit 51`,
      params: [ownerId, projectId],
    },
    {
      name: "listSessions (one project, the sidebar's pinned chats)",
      text: `select * from parley.chat_sessions where owner_id = $1 and project_id = $2 and archived_at is null and pinned_at is not null order by last_activity_at desc nulls last, id desc nulls last limit 101`,
      params: [ownerId, projectId],
    },
    {
      name: "listSessions (all projects)",
      text: `select * from parley.chat_sessions where owner_id = $1 and archived_at is null order by last_activity_at desc nulls last, id desc nulls last limit 51`,
      params: [ownerId],
    },
    {
      name: "listMessagesPage (newest page)",
      text: `select * from parley.messages where session_id = $1 order by seq desc limit 51`,
      params: [sessionId],
    },
    {
      name: "listMessagesPage (older page)",
      text: `select * from parley.messages where session_id = $1 and seq < $2 order by seq desc limit 51`,
      params: [sessionId, middle],
    },
    {
      name: "getSessionWithProject (every send)",
      text: `select * from parley.chat_sessions cs join parley.projects p on p.id = cs.project_id and p.owner_id = $1 where cs.id = $2 and cs.owner_id = $1 limit 1`,
      params: [ownerId, sessionId],
    },
    {
      name: "listMessagesAfter (history sent to the model)",
      text: `select m.* from parley.messages m join parley.chat_sessions cs on cs.id = m.session_id and cs.owner_id = $1 where m.session_id = $2 and m.seq > $3 order by m.seq asc`,
      params: [ownerId, sessionId, 0],
    },
  ];
  const plans = [];
  for (const s of statements) {
    /** @type {Array<{ "QUERY PLAN": string }>} */
    const rows = await sql.unsafe(`explain (analyze, buffers) ${s.text}`, s.params);
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    const execution = /Execution Time: ([\d.]+) ms/.exec(plan);
    plans.push({
      name: s.name,
      usesIndex:
        /Index (Only )?Scan|Bitmap Index Scan/.test(plan) && !/Seq Scan on (messages|chat_sessions|projects)\b/.test(plan),
      executionMs: execution ? Number(execution[1]) : NaN,
      plan,
    });
  }
  return plans;
}
