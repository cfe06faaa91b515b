/**
 * Runs once when the server starts: validate the configuration and open (and migrate) the database, so a
 * mistake is one clear line at start instead of an error on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installEarlyRefusals } = await import("@/lib/server/early-refusals");
  installEarlyRefusals();
  const { startServer } = await import("@/lib/server/startup");
  await startServer();
}
