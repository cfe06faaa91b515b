import "server-only";
import { ConfigError, getConfig } from "@/lib/config/env";
import { getDatabaseHandle } from "@/lib/db/client";
import { DatabaseStartupError } from "@/lib/db/open";
import { stopAllLocalGenerations } from "@/lib/chat/engine/stop-registry";
import { warmModelCatalog } from "@/lib/ai/catalog";
import { installShutdownHandler } from "./shutdown";

export async function startServer(): Promise<void> {
  try {
    const config = getConfig();
    const handle = await getDatabaseHandle();
    installShutdownHandler({ timeoutMs: config.shutdownTimeoutMs, stopRunningReplies: stopAllLocalGenerations });
    console.info(`[parley] database ready (${handle.kind === "pglite" ? `embedded, ${config.dataDir}` : "postgres"})`);
    // Not awaited: OpenRouter being slow or down must not hold the start (the built-in list serves meanwhile).
    warmModelCatalog(config);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseStartupError) {
      // One line, no stack: the message already says what is wrong and how to fix it.
      console.error(`[parley] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
