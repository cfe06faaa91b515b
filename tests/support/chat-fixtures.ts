import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { chatSessions, messages, projects } from "@/lib/db/schema";
import { resetConfigForTests } from "@/lib/config/env";
import { SUMMARIZER_MARKER } from "@/lib/memory/prompt";
import { drainWork } from "@/lib/server/shutdown";
import { STANDIN_MODEL, startOpenRouterStandin, type OpenRouterStandin, type RecordedRequest } from "./openrouter-standin";

import { answerTitleRequests, contentText, isTitleRequestBody } from "./title-requests";

export { parseSse } from "./sse";
export { contentText, isTitleRequestBody } from "./title-requests";
export { gate, waitFor } from "./wait";

export { STANDIN_MODEL } from "./openrouter-standin";

/** The title a chat gets from the stand-in unless a test answers title requests otherwise. */
export const STANDIN_TITLE = "Stand-in chat title";

/**
 * Starts the stand-in and points the app's real configuration (and so the real OpenRouter provider) at it.
 * Title requests (a chat's first reply triggers one in the background) get their own answer, so they never
 * take a reply a test queued with `once` for its next turn.
 */
export async function useStandin(env: Record<string, string> = {}): Promise<OpenRouterStandin> {
  const standin = await startOpenRouterStandin();
  answerTitleRequests(standin, STANDIN_TITLE);
  process.env.OPENROUTER_BASE_URL = standin.baseUrl;
  process.env.OPENROUTER_API_KEY = "sk-or-test-key";
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  resetConfigForTests();
  return standin;
}

/** One stand-in for the calling test file: started before its tests, closed after them. Call the getter in tests. */
export function standinForFile(env: Record<string, string> = {}): () => OpenRouterStandin {
  let standin: OpenRouterStandin | undefined;
  beforeAll(async () => {
    standin = await useStandin(env);
  });
  afterAll(() => standin?.close());
  return () => {
    if (!standin) throw new Error("The stand-in starts in beforeAll: use it inside a test or hook");
    return standin;
  };
}

export async function createProjectRow(
  ownerId: string,
  values: {
    systemPrompt?: string;
    memoryEnabled?: boolean;
    memoryThreshold?: number;
    memoryKeepRecent?: number;
    defaultModel?: string;
  } = {},
) {
  const db = await getDb();
  const [row] = await db
    .insert(projects)
    .values({
      ownerId,
      name: "Chat tests",
      systemPrompt: values.systemPrompt ?? "",
      memoryEnabled: values.memoryEnabled ?? true,
      memoryThreshold: values.memoryThreshold ?? null,
      memoryKeepRecent: values.memoryKeepRecent ?? null,
      defaultModel: values.defaultModel ?? null,
    })
    .returning();
  return row;
}

export async function createSessionRow(ownerId: string, projectId: string, model = STANDIN_MODEL) {
  const db = await getDb();
  const [row] = await db.insert(chatSessions).values({ ownerId, projectId, model, title: "Test chat" }).returning();
  return row;
}

/**
 * Resolves once the work the app left running past its responses (runAfter: a reply being stored, then the
 * summary check) has finished, as a shutdown would wait for it: wait for this instead of sleeping before checking
 * what background work did or did not do. Throws when it is still running after `timeoutMs`.
 */
export async function backgroundWorkDone(timeoutMs = 10_000): Promise<void> {
  if (!(await drainWork(timeoutMs))) throw new Error(`background work still running after ${timeoutMs} ms`);
}

/** Reads straight from the table (not through the code under test). */
/** The reply (the chat's second message) was stored as failed with `errorCode`, keeping the text that arrived. */
export async function expectStoredFailure(sessionId: string, errorCode: string, content: string) {
  expect((await storedMessages(sessionId))[1]).toMatchObject({ status: "error", errorCode, content });
}

export async function storedMessages(sessionId: string) {
  const db = await getDb();
  return db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.seq));
}

export async function storedSession(sessionId: string) {
  const db = await getDb();
  const [row] = await db.select().from(chatSessions).where(eq(chatSessions.id, sessionId));
  return row;
}

/** The system prompt a recorded request carried. */
export const systemOf = (r: RecordedRequest): string =>
  contentText(r.body.messages?.find((m) => m.role === "system")?.content ?? "");

/** True for the title job's requests. */
export const isTitleRequest = (r: RecordedRequest): boolean => isTitleRequestBody(r.body);

/** True for the summarizer's requests (as opposed to chat turns). */
export const isSummarizer = (r: RecordedRequest): boolean => systemOf(r).includes(SUMMARIZER_MARKER);
