import { Info } from "lucide-react";

/** Above the messages of a chat on the built-in offline model: what it is and how to connect a real one. */
export function OfflineNotice() {
  return (
    <aside
      aria-label="Offline model"
      className="flex gap-2 rounded-md border border-border bg-surface px-3 py-2 text-sm text-muted"
    >
      <Info aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
      <p>
        <strong className="text-fg">Offline model.</strong> This chat uses the built-in offline model, which answers by describing
        what Parley would send to a real model. To connect one, set <code>OPENROUTER_API_KEY</code> (OpenRouter) or{" "}
        <code>OPENAI_COMPATIBLE_BASE_URL</code> (a local server such as Ollama) in the server&apos;s environment, restart, then
        pick the model above.
      </p>
    </aside>
  );
}
