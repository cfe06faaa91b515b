"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { fieldClass } from "@/components/ui/input";
import type { AdminSettingsView } from "@/lib/admin/views";
import { adminRequest } from "./admin-api";

/** The run-time settings on /admin: sign-up policy, model allow-list, default model, users' own keys. */
export function SettingsForm({ settings }: { settings: AdminSettingsView }) {
  const router = useRouter();
  const [policy, setPolicy] = useState(settings.signup_policy);
  const [allowList, setAllowList] = useState(settings.model_allow_list.join("\n"));
  const [defaultModel, setDefaultModel] = useState(settings.default_model ?? "");
  const [userKeys, setUserKeys] = useState(settings.user_keys_enabled);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [pending, startTransition] = useTransition();

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    const models = allowList
      .split(/[\s,]+/)
      .map((m) => m.trim())
      .filter(Boolean);
    startTransition(async () => {
      const failure = await adminRequest("settings", "PATCH", {
        signup_policy: policy,
        model_allow_list: models.length ? models : null,
        default_model: defaultModel.trim() || null,
        user_keys_enabled: userKeys,
      });
      setMessage(
        failure ? { text: failure, error: true } : { text: "Saved. Every instance applies it within seconds.", error: false },
      );
      if (!failure) router.refresh();
    });
  };

  return (
    <form onSubmit={save} className="grid gap-4 sm:grid-cols-2" aria-label="Settings">
      <label className="flex flex-col gap-1 text-sm">
        Sign-up
        <select
          value={policy}
          onChange={(e) => setPolicy(e.target.value as AdminSettingsView["signup_policy"])}
          className={`${fieldClass} h-10`}
          name="signup_policy"
        >
          <option value="open">Open: anyone may sign up</option>
          <option value="approval">Approval: new accounts wait for an admin</option>
          <option value="closed">Closed: only admins create accounts</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Default model
        <input
          value={defaultModel}
          onChange={(e) => setDefaultModel(e.target.value)}
          placeholder="the first model of the list"
          className={`${fieldClass} h-10`}
          name="default_model"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm sm:col-span-2">
        Model allow-list (one id or pattern per line, such as <code>*:free</code> or <code>anthropic/*</code>)
        <textarea
          value={allowList}
          onChange={(e) => setAllowList(e.target.value)}
          rows={4}
          className={`${fieldClass} font-mono`}
          name="model_allow_list"
        />
      </label>
      <label className="flex items-center gap-2 text-sm sm:col-span-2">
        <input type="checkbox" checked={userKeys} onChange={(e) => setUserKeys(e.target.checked)} name="user_keys_enabled" />
        Users may bring their own OpenRouter key
      </label>
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" pending={pending}>
          Save settings
        </Button>
        {message && (
          <p role={message.error ? "alert" : "status"} className={message.error ? "text-sm text-danger" : "text-sm text-muted"}>
            {message.text}
          </p>
        )}
      </div>
    </form>
  );
}
