import type { Config } from "@/lib/config/env";

export interface MemorySettings {
  enabled: boolean;
  /** N: uncovered messages (beyond the kept ones) that make a summary due. */
  threshold: number;
  /** K: the most recent messages always sent verbatim. */
  keepRecent: number;
  /** Share of the model's context window the input may use. */
  contextShare: number;
}

/** A project's own numbers win; null means the platform default from the environment. */
export function resolveMemorySettings(
  project: { memoryEnabled: boolean; memoryThreshold: number | null; memoryKeepRecent: number | null },
  memory: Config["memory"],
): MemorySettings {
  return {
    enabled: project.memoryEnabled,
    threshold: project.memoryThreshold ?? memory.threshold,
    keepRecent: project.memoryKeepRecent ?? memory.keepRecent,
    contextShare: memory.contextShare,
  };
}
