/**
 * Phases of a chat send, reported in the `Server-Timing` response header (durations only, in ms), so the
 * time Parley adds before the first token can be measured from outside (`npm run bench`, browser devtools)
 * without a profiler. Costs a few `performance.now()` calls per request.
 */
export class PhaseTimer {
  private last = performance.now();
  private readonly started = this.last;
  private readonly phases: Array<[string, number]> = [];

  /** Ends the current phase under `name` (time since the previous mark). */
  mark(name: string): void {
    const now = performance.now();
    this.phases.push([name, now - this.last]);
    this.last = now;
  }

  /** `auth;dur=0.4, load;dur=1.1, …, total;dur=…` (total = since the timer was made). */
  header(): string {
    return [...this.phases, ["total", performance.now() - this.started] as [string, number]]
      .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
      .join(", ");
  }
}
