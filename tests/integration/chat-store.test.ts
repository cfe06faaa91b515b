import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { holdLease, storeReply } from "@/lib/chat/engine/store";
import { getDb } from "@/lib/db/client";
import { acquireGeneration } from "@/lib/db/queries/sessions";
import { chatSessions, messages } from "@/lib/db/schema";
import { createTestUser } from "../support/auth";
import { createProjectRow, createSessionRow } from "../support/chat-fixtures";

/** A chat whose lease a generation holds, as the claim phase leaves it. */
async function chatWithLease() {
  const { user } = await createTestUser();
  const project = await createProjectRow(user.id);
  const session = await createSessionRow(user.id, project.id);
  const generationId = randomUUID();
  expect(await acquireGeneration(user.id, session.id, generationId, 60_000)).toBe(true);
  return { ownerId: user.id, sessionId: session.id, generationId };
}

async function leaseOf(sessionId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ generationId: chatSessions.generationId })
    .from(chatSessions)
    .where(eq(chatSessions.id, sessionId));
  return row?.generationId;
}

const drained = {
  status: "complete",
  text: "The answer",
  reasoning: "",
  usage: { input_tokens: 3, output_tokens: 2, cost: null },
  streamed: true,
} as const;

afterEach(() => {
  vi.restoreAllMocks();
});

describe(`the store phase of a send (${inject("testDatabase").kind})`, () => {
  it("a lease whose release fails says so in the log, and release() still resolves", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // Not a UUID: the database refuses the release's statement (an error no retry can fix).
    await expect(holdLease(randomUUID(), "not-a-uuid", randomUUID()).release()).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith("[parley] releasing a generation lease failed:", expect.anything());
  });

  it("a reply that cannot be stored ends as internal:generation, is logged, and the lease is released", async () => {
    const { ownerId, sessionId, generationId } = await chatWithLease();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const outcome = await storeReply(
      {
        ownerId,
        sessionId,
        generationId,
        // Not a UUID: the insert fails (an error no retry can fix).
        assistantMessageId: "not-a-uuid",
        parentId: undefined,
        modelId: "test/model",
        billedToUserKey: false,
        lease: holdLease(ownerId, sessionId, generationId),
      },
      drained,
    );
    expect(outcome).toMatchObject({
      status: "error",
      text: "The answer",
      message: undefined,
      error: { code: "internal:generation" },
    });
    expect(outcome.error?.detail).toEqual(expect.any(String));
    expect(logged).toHaveBeenCalledWith(`[parley] storing the reply of generation ${generationId} failed:`, expect.anything());
    expect(await leaseOf(sessionId)).toBeNull();
    const db = await getDb();
    expect(await db.select().from(messages).where(eq(messages.sessionId, sessionId))).toEqual([]);
  });

  it("a stored reply keeps the drained status, and the lease is released", async () => {
    const { ownerId, sessionId, generationId } = await chatWithLease();
    const assistantMessageId = randomUUID();
    const outcome = await storeReply(
      {
        ownerId,
        sessionId,
        generationId,
        assistantMessageId,
        parentId: undefined,
        modelId: "test/model",
        billedToUserKey: false,
        lease: holdLease(ownerId, sessionId, generationId),
      },
      drained,
    );
    expect(outcome).toMatchObject({ status: "complete", text: "The answer", message: { id: assistantMessageId } });
    expect(outcome.error).toBeUndefined();
    expect(await leaseOf(sessionId)).toBeNull();
  });
});
