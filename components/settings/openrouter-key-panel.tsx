"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { KeyRound, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { removeOpenRouterKeyAction, saveOpenRouterKeyAction } from "@/lib/user-keys/actions";
import type { UserKeyStatus } from "@/lib/user-keys/schemas";

/**
 * Settings → Your OpenRouter key. The key goes to the server once and is never shown again: the panel knows
 * only the status the server answers (its last four characters). Turned off on the server, it says so and offers
 * only the removal of a key saved earlier.
 */
export function OpenRouterKeyPanel({ initial }: { initial: UserKeyStatus }) {
  const router = useRouter();
  const toast = useToast();
  const [status, setStatus] = useState(initial);
  const [key, setKey] = useState("");
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function run(work: () => ReturnType<typeof removeOpenRouterKeyAction>, done: string) {
    setError(undefined);
    startTransition(async () => {
      const result = await work();
      if (!result.ok) return setError(result.error);
      setStatus(result.data);
      setKey("");
      toast.show(done, "success");
      // The model picker and the chats' lists depend on it.
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col gap-3">
      {status.enabled ? (
        <p className="text-sm text-muted">
          Use models beyond the ones this server offers, billed to your own OpenRouter account. While a key is saved, all your
          OpenRouter calls (replies, chat titles, summaries) go out with it. It is stored encrypted and never shown again.
        </p>
      ) : (
        <p className="text-sm text-muted">Using your own OpenRouter key is turned off on this server.</p>
      )}
      {status.configured && (
        <p role="status" className="flex items-center gap-2 text-sm">
          <KeyRound aria-hidden className="h-4 w-4" />
          <span>
            Saved key ending in <strong className="font-mono">{status.last4}</strong>
            {!status.enabled && " (not used while the feature is off)"}
          </span>
        </p>
      )}
      {status.configured && status.enabled && !status.readable && (
        <p role="alert" className="text-sm text-danger">
          Your saved key can no longer be read (the server&apos;s secret changed). Enter it again; until then your calls use the
          team&apos;s key.
        </p>
      )}
      {status.enabled && (
        <form
          className="flex flex-col gap-3"
          aria-label="Your OpenRouter key"
          onSubmit={(event) => {
            event.preventDefault();
            run(() => saveOpenRouterKeyAction(key), "Your OpenRouter key is saved");
          }}
        >
          <Input
            label={status.configured ? "Replace with a new key" : "OpenRouter API key"}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="sk-or-v1-…"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            error={error}
            hint="Create one at openrouter.ai/keys."
          />
          <Button type="submit" pending={pending} disabled={!key.trim()} className="w-fit">
            Save key
          </Button>
        </form>
      )}
      {!status.enabled && error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      {status.configured && (
        <Button
          type="button"
          variant="secondary"
          className="w-fit"
          pending={pending}
          onClick={() => run(removeOpenRouterKeyAction, "Your OpenRouter key is removed")}
        >
          <Trash2 aria-hidden className="h-4 w-4" />
          Remove key
        </Button>
      )}
    </div>
  );
}
