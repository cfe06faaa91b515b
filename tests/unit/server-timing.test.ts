import { describe, expect, it } from "vitest";
import { PhaseTimer } from "@/lib/chat/server-timing";

describe("PhaseTimer", () => {
  it("reports each phase's own duration in order, then the total since it was made", async () => {
    const timer = new PhaseTimer();
    await new Promise((resolve) => setTimeout(resolve, 20));
    timer.mark("slow");
    timer.mark("fast");
    const phases = [...timer.header().matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1], Number(m[2])] as const);
    expect(phases.map(([name]) => name)).toEqual(["slow", "fast", "total"]);
    const [slow, fast, total] = phases.map(([, ms]) => ms);
    // Lower bounds only (a busy machine can only make phases longer): the 20 ms wait is in "slow", and the total
    // covers both phases (each rounded to 0.1 ms).
    expect(slow).toBeGreaterThanOrEqual(15);
    expect(fast).toBeGreaterThanOrEqual(0);
    expect(total).toBeGreaterThanOrEqual(slow + fast - 0.2);
  });
});
