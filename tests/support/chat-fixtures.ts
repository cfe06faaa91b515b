import { asc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { chatSessions, messages, projects } from "@/lib/db/schema";
import { resetConfigForTests } from "@/lib/config/env";
import { STANDIN_MODEL, startOpenRouterStandin, type OpenRouterStandin } from "./openrouter-standin";

export { parseSse } from "./sse";

export { STANDIN_MODEL } from "./openrouter-standin";

/** Starts the stand-in and points the app's real configuration (and so the real OpenRouter provider) at it. */
export async function useStandin(env: Record<string, string> = {}): Promise<OpenRouterStandin> {
  const standin = await startOpenRouterStandin();
  process.env.OPENROUTER_BASE_URL = standin.baseUrl;
  process.env.OPENROUTER_API_KEY = "sk-or-test-key";
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  resetConfigForTests();
  return standin;
}

export async function createProjectRow(
  ownerId: string,
  values: { systemPrompt?: string; memoryEnabled?: boolean; memoryThreshold?: number; memoryKeepRecent?: number } = {},
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
    })
    .returning();
  return row;
}

export async function createSessionRow(ownerId: string, projectId: string, model = STANDIN_MODEL) {
  const db = await getDb();
  const [row] = await db.insert(chatSessions).values({ ownerId, projectId, model, title: "Test chat" }).returning();
  return row;
}

/** Reads straight from the table (not through the code under test). */
export async function storedMessages(sessionId: string) {
  const db = await getDb();
  return db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.seq));
}

export async function storedSession(sessionId: string) {
  const db = await getDb();
  const [row] = await db.select().from(chatSessions).where(eq(chatSessions.id, sessionId));
  return row;
}
