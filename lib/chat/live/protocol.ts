import "server-only";
import { z } from "zod";

/**
 * What travels on the live channel (between our own instances, still parsed: a shared Redis is an edge).
 * Frames of a generation `g`, numbered `n` from 1 with no gaps, so a watcher knows what follows a snapshot and
 * notices a lost frame:
 * - `d` a batch of deltas (text `t`, reasoning `r`) — one per ~50 ms while watched, never per token;
 * - `s` the text so far, up to frame `n`, answering the ask `to`, with the reply's id `m` and model;
 * - `e` the reply is stored (read it from the database).
 * An ask (`a`) on the ask topic: a watcher joined and wants a snapshot.
 */
export const liveFrame = z.discriminatedUnion("k", [
  z.object({ k: z.literal("d"), g: z.string(), n: z.number().int(), t: z.string(), r: z.string() }),
  z.object({
    k: z.literal("s"),
    g: z.string(),
    n: z.number().int(),
    t: z.string(),
    r: z.string(),
    m: z.string(),
    model: z.string(),
    to: z.string(),
  }),
  z.object({ k: z.literal("e"), g: z.string() }),
]);
export type LiveFrame = z.infer<typeof liveFrame>;

export const liveAsk = z.object({ k: z.literal("a"), id: z.string().max(100) });

/** Undefined for anything that does not parse (another version's frame, garbage): it is ignored. */
export function parseJson<T>(schema: z.ZodType<T>, message: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
