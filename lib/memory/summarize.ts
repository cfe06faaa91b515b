import "server-only";
import { generateText, type LanguageModel } from "ai";
import { getConfig } from "@/lib/config/env";
import { getSessionWithProject } from "@/lib/db/queries/sessions";
import { readPathContext } from "@/lib/db/queries/messages";
import { claimSummaryLease, commitSummary, recordSummaryFailure, releaseSummaryLease } from "@/lib/db/queries/memory";
import { batchForSummarizer, planSummary, type MemoryMessage } from "./plan";
import { SUMMARIZER_INSTRUCTIONS, summarizerPrompt, withMemorySection } from "./prompt";
import { resolveMemorySettings } from "./settings";
import { estimateTokens } from "./tokens";
import { recordCallUsage } from "@/lib/usage/record";

export interface SummarizerDeps {
  /** The model that writes the summary (MEMORY_SUMMARY_MODEL, or the session's model). */
  model: LanguageModel;
  /** The summarizer's id as Parley names it, for usage accounting (else the model's own id). */
  modelId?: string;
  /** The summarizer is called with the user's own OpenRouter key: its usage is marked as billed to them. */
  billedToUserKey?: boolean;
  /** Context window of the session's chat model: the budget the summary protects. */
  chatContextWindow: number;
  /** Context window of the summarizer model: how much one summarizer call may read. */
  summarizerContextWindow: number;
  timeoutMs?: number;
  /** First retry delay after a failure; doubles with each further failure (capped at an hour). */
  backoffBaseMs?: number;
  leaseMs?: number;
}

export type SummarizeOutcome = "gone" | "disabled" | "not_due" | "busy" | "summarized" | "lost_race" | "failed";

class SummaryError extends Error {}

/**
 * Checks one path of a session (ending at `leafId`, by default the active leaf) and, when a summary is due,
 * makes it: incrementally, from the deepest summary on that path plus exactly the path's messages it does not
 * cover yet, cut at a turn boundary. Each summary is stored keyed by its last message, so it only ever serves a
 * path through that message. Failures keep the previous summary and set a back-off; a later turn tries again.
 * Never deletes or edits a message.
 */
export async function maybeSummarize(
  ownerId: string,
  sessionId: string,
  deps: SummarizerDeps,
  leafId?: string,
): Promise<SummarizeOutcome> {
  const found = await getSessionWithProject(ownerId, sessionId);
  if (!found) return "gone";
  const { session, project } = found;
  const settings = resolveMemorySettings(project, getConfig().memory);
  if (!settings.enabled) return "disabled";

  const path = await readPathContext(ownerId, sessionId, { leafId, withSummary: true });
  const uncovered = toMemoryMessages(path.messages);
  const plan = planSummary({
    uncovered,
    settings,
    contextWindow: deps.chatContextWindow,
    instructionTokens: estimateTokens(withMemorySection(project.systemPrompt, path.summary?.text ?? null) ?? ""),
  });
  if (!plan.due) return "not_due";

  if (!(await claimSummaryLease(ownerId, sessionId, deps.leaseMs ?? 5 * 60_000))) return "busy";

  try {
    let running = path.summary?.text ?? null;
    let covered = path.summary?.coveredMessages ?? 0;
    let sinceCommit = 0;
    // Half the summarizer's window for the new messages leaves room for the previous summary and the answer.
    const batches = batchForSummarizer(
      plan.cover,
      Math.floor(deps.summarizerContextWindow * 0.5) - estimateTokens(running ?? ""),
    );
    for (const batch of batches) {
      const result = await generateText({
        model: deps.model,
        instructions: SUMMARIZER_INSTRUCTIONS,
        prompt: summarizerPrompt(running, batch),
        maxRetries: 1,
        abortSignal: AbortSignal.timeout(deps.timeoutMs ?? getConfig().modelTimeoutMs),
      });
      await recordCallUsage(ownerId, sessionId, "summary", deps.modelId ?? modelIdOf(deps.model), result, {
        billedToUserKey: deps.billedToUserKey ?? false,
      });
      const text = result.text;
      if (!text.trim()) throw new SummaryError("The summarizer returned an empty summary");
      running = text.trim();
      const last = batch.at(-1);
      if (!last) continue; // batches are never empty
      sinceCommit += batch.filter((m) => !m.part || m.part.index === m.part.of).length;
      // A split message is committed only after its last part: the boundary is always a whole message.
      if (last.part && last.part.index !== last.part.of) continue;
      // Stored messages always carry their id (toMemoryMessages); a summary is keyed by its last one.
      if (!last.id) throw new Error("a stored message without an id");
      covered += sinceCommit;
      const won = await commitSummary(ownerId, sessionId, {
        summary: running,
        throughMessageId: last.id,
        throughSeq: last.seq,
        coveredMessages: covered,
      });
      if (!won) {
        // Another job summarized this same prefix meanwhile: its summary is the one this path uses.
        await releaseSummaryLease(ownerId, sessionId);
        return "lost_race";
      }
      sinceCommit = 0;
    }
    await releaseSummaryLease(ownerId, sessionId);
    return "summarized";
  } catch (error) {
    const failures = session.summaryFailures + 1;
    const retryIn = Math.min(3_600_000, (deps.backoffBaseMs ?? 30_000) * 2 ** (failures - 1));
    await recordSummaryFailure(ownerId, sessionId, describeFailure(error), retryIn);
    console.warn(
      `[parley] summary for session ${sessionId} failed (${failures}x); retry in ${Math.round(retryIn / 1000)}s:`,
      describeFailure(error),
    );
    return "failed";
  }
}

function toMemoryMessages(
  rows: Array<{ id: string; seq: number; role: "user" | "assistant"; content: string }>,
): MemoryMessage[] {
  return rows.map((r) => ({ id: r.id, seq: r.seq, role: r.role, content: r.content }));
}

/** A short, user-safe reason: shown in the UI and the API, so no upstream text. */
function describeFailure(error: unknown): string {
  if (error instanceof SummaryError) return error.message;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "The summarizer timed out";
  return "The summarizer model failed";
}

function modelIdOf(model: LanguageModel): string {
  return typeof model === "string" ? model : model.modelId;
}
