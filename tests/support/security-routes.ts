import { readdirSync } from "node:fs";
import path from "node:path";
import { asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { chatSessions, messages, projects, userOpenRouterKeys } from "@/lib/db/schema";
import { appendMessage } from "@/lib/db/queries/messages";
import { saveUserKey } from "@/lib/user-keys/service";
import { createTestUser } from "./auth";
import { useStandin as pointAppAtStandin } from "./chat-fixtures";

/**
 * Route discovery and fixtures shared by the security suite. Routes are found on disk at test time, so a route
 * added later (e.g. /api/v1/auth/**) is exercised without anyone remembering to list it.
 */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface DiscoveredRoute {
  /** URL path template, e.g. /api/v1/sessions/[id]/chat */
  path: string;
  /** Dynamic segment names, e.g. ["id"] */
  params: string[];
  method: HttpMethod;
  handler: Handler;
}

const root = path.resolve(import.meta.dirname, "../..");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => path.join(dir, file))
    .sort();
}

export async function discoverRoutes(): Promise<DiscoveredRoute[]> {
  const found: DiscoveredRoute[] = [];
  for (const file of routeFiles(path.join(root, "app/api"))) {
    const template = "/" + path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).join("/");
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const params = [...template.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") found.push({ path: template, params, method, handler: mod[method] as Handler });
    }
  }
  return found;
}

/** Public routes: reachable anonymously by design; the suite only checks they never fail with a 5xx. */
export const isPublic = (route: Pick<DiscoveredRoute, "path">) =>
  route.path.startsWith("/api/v1/auth/") || route.path === "/api/v1/openapi.json";

export const routeKey = (route: Pick<DiscoveredRoute, "method" | "path">) => `${route.method} ${route.path}`;

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\[([^\]]+)\]/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
}

export interface CallInput {
  params?: Record<string, string>;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  query?: string;
}

/** Calls a handler as Next would: a real Request and the awaited-params context. */
export function call(route: DiscoveredRoute, { params = {}, headers = {}, body, query = "" }: CallInput): Promise<Response> {
  const url = `http://localhost${fillPath(route.path, params)}${query}`;
  const init: RequestInit = { method: route.method, headers: { ...headers } };
  if (body !== undefined && route.method !== "GET" && route.method !== "HEAD") {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    const h = init.headers as Record<string, string>;
    if (!Object.keys(h).some((k) => k.toLowerCase() === "content-type")) h["content-type"] = "application/json";
  }
  return route.handler(new Request(url, init), { params: Promise.resolve(params) });
}

export type TestUser = Awaited<ReturnType<typeof createTestUser>>;

export interface OwnedFixture {
  ownerId: string;
  projectId: string;
  projectName: string;
  sessionId: string;
  sessionTitle: string;
  messageTexts: string[];
  messageIds: string[];
}

/** A project, a session on the offline model (no network) and two messages, all owned by `owner`. */
export async function createOwnedFixture(owner: TestUser, tag = "fixture"): Promise<OwnedFixture> {
  const db = await getDb();
  const marker = crypto.randomUUID().slice(0, 8);
  const projectName = `A-secret-${tag}-${marker}`;
  const [project] = await db
    .insert(projects)
    .values({ ownerId: owner.user.id, name: projectName, systemPrompt: `prompt-${marker}` })
    .returning();
  const sessionTitle = `A-title-${marker}`;
  const [session] = await db
    .insert(chatSessions)
    .values({ ownerId: owner.user.id, projectId: project.id, model: "offline", title: sessionTitle })
    .returning();
  const messageTexts = [`A-question-${marker}`, `A-answer-${marker}`];
  const messageIds: string[] = [];
  for (const [i, content] of messageTexts.entries()) {
    const row = await appendMessage(owner.user.id, session.id, {
      role: i === 0 ? "user" : "assistant",
      content,
      model: "offline",
    });
    if (!row) throw new Error("fixture message not stored");
    messageIds.push(row.id);
  }
  return {
    ownerId: owner.user.id,
    projectId: project.id,
    projectName,
    sessionId: session.id,
    sessionTitle,
    messageTexts,
    messageIds,
  };
}

/** Everything a user owns, read straight from the tables (not through the code under test). */
export async function snapshotOf(ownerId: string) {
  const db = await getDb();
  const projectRows = await db.select().from(projects).where(eq(projects.ownerId, ownerId)).orderBy(asc(projects.id));
  const sessionRows = await db.select().from(chatSessions).where(eq(chatSessions.ownerId, ownerId)).orderBy(asc(chatSessions.id));
  const ids = sessionRows.map((s) => s.id);
  const messageRows = ids.length
    ? await db.select().from(messages).where(inArray(messages.sessionId, ids)).orderBy(asc(messages.sessionId), asc(messages.seq))
    : [];
  const keyRows = await db.select().from(userOpenRouterKeys).where(eq(userOpenRouterKeys.ownerId, ownerId));
  return { projects: projectRows, sessions: sessionRows, messages: messageRows, openRouterKeys: keyRows };
}

/** The owner's own OpenRouter key, saved in every security scene: no answer to anyone may carry it. */
export const OWNER_OPENROUTER_KEY = `sk-or-v1-${"0a1b2c3d".repeat(8)}`;

/** Strings from the fixture that must never appear in a response to anyone but its owner. */
export const secretsOf = (f: OwnedFixture) => [
  OWNER_OPENROUTER_KEY,
  f.projectId,
  f.projectName,
  f.sessionId,
  f.sessionTitle,
  ...f.messageTexts,
  ...f.messageIds,
];

/** Reads a whole body (streams included), so a chat reply runs to its end before the test moves on. */
export const drain = (response: Response) => response.text();

/**
 * The scene both security suites start from: the OpenRouter stand-in (whatever reaches a model stays on this
 * machine), an owner with a fixture, a stranger, and a snapshot of the owner's data to compare with at the end.
 */
export async function setUpSecurityScene(tag: string) {
  const standin = await pointAppAtStandin();
  const owner = await createTestUser("Owner A");
  const other = await createTestUser("Other B");
  const target = await createOwnedFixture(owner, tag);
  await saveUserKey(owner.user.id, { key: OWNER_OPENROUTER_KEY });
  return { standin, owner, other, target, before: await snapshotOf(owner.user.id) };
}

export type SecurityScene = Awaited<ReturnType<typeof setUpSecurityScene>>;

export interface Front {
  url: string;
  close(): Promise<void>;
}

/** Templates as matchers, static segments before dynamic ones (as Next matches /project/available-models first). */
function routeTable(routes: DiscoveredRoute[]) {
  const byPath = new Map<string, DiscoveredRoute[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  return [...byPath.entries()]
    .map(([template, handlers]) => ({
      handlers,
      names: handlers[0].params,
      pattern: new RegExp(`^${template.replace(/\[[^\]]+\]/g, "([^/]+)")}$`),
      dynamic: template.includes("["),
    }))
    .sort((a, b) => Number(a.dynamic) - Number(b.dynamic));
}

/**
 * Real HTTP in front of the proxy and the route handlers, chained the way Next chains them, so hostile methods
 * (TRACE included) and undecodable paths can be sent as a client sends them: early refusals installed as
 * instrumentation.ts does, then a NextRequest (which throws for TRACE, as in Next), the proxy, and the route's
 * handler with decoded params. Whatever throws on the way is a bare 500, as Next answers it.
 */
export async function startFront(routes: DiscoveredRoute[]): Promise<Front> {
  const [{ default: http }, { NextRequest }, { proxy }, { installEarlyRefusals }] = await Promise.all([
    import("node:http"),
    import("next/server"),
    import("@/proxy"),
    import("@/lib/server/early-refusals"),
  ]);
  const table = routeTable(routes);
  const uninstall = installEarlyRefusals();
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const method = req.method ?? "GET";
      const body = method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const url = `http://localhost${req.url}`;
      let response: Response = await proxy(new NextRequest(url, { method, headers, body }));
      if (response.headers.get("x-middleware-next") === "1") {
        const pathname = new URL(url).pathname.replace(/(.)\/+$/, "$1");
        const entry = table.find((t) => t.pattern.test(pathname));
        const handler = entry?.handlers.find((h) => h.method === method.toUpperCase());
        if (!entry) response = Response.json({ detail: "Not found" }, { status: 404 });
        else if (!handler) response = new Response(null, { status: 405 });
        else {
          const values = entry.pattern
            .exec(pathname)!
            .slice(1)
            .map((v) => decodeURIComponent(v));
          const params = Object.fromEntries(entry.names.map((name, i) => [name, values[i]]));
          response = await handler.handler(new Request(url, { method, headers, body }), { params: Promise.resolve(params) });
        }
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal Server Error");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      uninstall();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One request over node:http (fetch will not send TRACE), body read whole. */
export function sendRaw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; contentType: string; text: string }> {
  return import("node:http").then(
    ({ default: http }) =>
      new Promise((resolve, reject) => {
        const { hostname, port } = new URL(base);
        // Framed explicitly: Node's client sends a DELETE or OPTIONS body unframed otherwise.
        const framed = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
        const req = http.request({ host: hostname, port, method, path, headers: framed }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text }),
          );
        });
        req.on("error", reject);
        req.end(body);
      }),
  );
}
