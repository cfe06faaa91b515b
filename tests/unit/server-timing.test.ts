import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PhaseTimer } from "@/lib/chat/engine/server-timing";

// A clock the test moves itself: exact durations, and nothing waits or depends on how busy the machine is.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PhaseTimer", () => {
  it("reports each phase's own duration in order, then the total since it was made", () => {
    const timer = new PhaseTimer();
    vi.advanceTimersByTime(20);
    timer.mark("slow");
    vi.advanceTimersByTime(3);
    timer.mark("fast");
    vi.advanceTimersByTime(1);
    expect(timer.header()).toBe("slow;dur=20.0, fast;dur=3.0, total;dur=24.0");
  });
});
