import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/support/app-server";
import { startOpenRouterStandin, type OpenRouterStandin, type StandinFailure } from "@/tests/support/openrouter-standin";
import { createProject, createSession, signUp, streamMessage, type ApiUser } from "@/tests/support/rest-client";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@/tests/support/throwaway-postgres";

/**
 * Upstream faults through the production build's REST stream: each ends with a readable error for the user
 * (never upstream text), both messages are stored (the reply with what arrived, status error), and the chat
 * takes the next message normally. The in-process integration tests cover the details; this proves the built
 * server behaves the same.
 */
const SECRET = "upstream-internal-detail";

let db: ThrowawayDatabase | undefined;
let standin: OpenRouterStandin | undefined;
let app: AppServer | undefined;
let user: ApiUser;
let projectId: string;

beforeAll(async () => {
  db = await createThrowawayDatabase("parley_resil_faults");
  standin = await startOpenRouterStandin({ script: { reply: "alpha beta gamma delta epsilon" } });
  // A short stall limit so the stall case is quick; the other cases never pause.
  app = await startAppServer({
    port: 3511,
    databaseUrl: db.url,
    openrouterBaseUrl: standin.baseUrl,
    env: { MODEL_STALL_TIMEOUT_MS: "2000" },
  });
  user = await signUp(app.url);
  projectId = (await createProject(app.url, user)).id;
});

afterAll(async () => {
  await app?.stop();
  await standin?.close();
  await db?.drop();
});

async function storedReplies(sessionId: string) {
  return db!.sql<Array<{ seq: number; role: string; status: string; content: string; error_code: string | null }>>`
    select seq, role, status, content, error_code from parley.messages where session_id = ${sessionId} order by seq`;
}

const cases: Array<{ name: string; failure: StandinFailure; status: number; code: string; arrived: string }> = [
  {
    name: "HTTP 500 before the stream",
    failure: { kind: "http", status: 500, message: SECRET },
    status: 502,
    code: "upstream:model",
    arrived: "",
  },
  {
    name: "an error frame mid-stream",
    failure: { kind: "mid-stream", afterChunks: 2, message: SECRET },
    status: 200,
    code: "upstream:model",
    arrived: "alpha beta ",
  },
  {
    name: "a stall past the timeout",
    failure: { kind: "stall", afterChunks: 3 },
    status: 200,
    code: "upstream:stall",
    arrived: "alpha beta gamma ",
  },
  // The provider skips the frame it cannot parse and carries on: the whole text arrives, flagged as an error.
  {
    name: "a malformed frame",
    failure: { kind: "malformed", afterChunks: 2 },
    status: 200,
    code: "upstream:model",
    arrived: "alpha beta gamma delta epsilon",
  },
];

describe("upstream faults through the built server", () => {
  it.each(cases)(
    "$name: readable error, what arrived stored as error, the chat still works",
    async ({ failure, status, code, arrived }) => {
      const session = await createSession(app!.url, user, projectId);
      standin!.once({ failure });
      const outcome = await streamMessage(app!.url, user, session.id, "Tell me something");

      expect(outcome.status).toBe(status);
      expect(outcome.error?.code).toBe(code);
      expect(outcome.error?.detail).toMatch(/^[A-Z].+\.$/); // a sentence for a person
      expect(JSON.stringify(outcome)).not.toContain(SECRET);
      if (status === 200) {
        expect(outcome.text).toBe(arrived);
        expect(outcome.done).toBe(true);
      }
      expect(await storedReplies(session.id)).toEqual([
        { seq: 1, role: "user", status: "complete", content: "Tell me something", error_code: null },
        { seq: 2, role: "assistant", status: "error", content: arrived, error_code: code },
      ]);

      const next = await streamMessage(app!.url, user, session.id, "Try again");
      expect(next).toMatchObject({ status: 200, done: true, text: "alpha beta gamma delta epsilon" });
      expect((await storedReplies(session.id)).map((m) => m.status)).toEqual(["complete", "error", "complete", "complete"]);
    },
  );
});
