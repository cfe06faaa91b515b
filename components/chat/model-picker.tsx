"use client";

import { useId, useState } from "react";
import { filterModels, groupModels, modelDetails, type ModelOption } from "@/lib/chats/chat-data";

/**
 * The chat's model: a native <select> (keyboard and screen readers for free) grouped by vendor, narrowed by a
 * search box as OpenRouter's catalog can offer hundreds of models. Each option shows the context size and the
 * price (or "free"); the chosen model's stay visible beside it.
 */
export function ModelPicker({
  model,
  models,
  pending,
  onChange,
}: {
  model: string;
  models: ModelOption[];
  pending: boolean;
  onChange: (id: string) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const current = models.find((m) => m.id === model);
  const matches = filterModels(models, query);
  // The chosen model stays selectable while a search hides it: the <select> must hold an option for its value.
  const shown = current && !matches.includes(current) ? [current, ...matches] : matches;
  const groups = groupModels(shown);
  const details = current ? modelDetails(current) : "";
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <input
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="Search models"
        aria-label="Search models"
        aria-controls={id}
        className="h-8 w-32 rounded-md border border-border bg-bg px-2 text-sm"
      />
      <label htmlFor={id} className="text-xs text-muted">
        Model
      </label>
      <select
        id={id}
        value={model}
        disabled={pending}
        aria-busy={pending || undefined}
        aria-describedby={details ? `${id}-details` : undefined}
        onChange={(event) => onChange(event.target.value)}
        className="h-8 max-w-72 rounded-md border border-border bg-bg px-2 text-sm"
      >
        {!current && <option value={model}>{model} (no longer offered)</option>}
        {groups.map((group) => (
          <optgroup key={group.key} label={group.label}>
            {group.models.map((m) => (
              <option key={m.id} value={m.id} disabled={!m.available}>
                {m.available
                  ? [m.name, modelDetails(m)].filter(Boolean).join(" · ")
                  : `${m.name} — ${m.unavailableReason ?? "not available"}`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {details && (
        <span id={`${id}-details`} data-testid="model-details" className="text-xs text-muted">
          {details}
        </span>
      )}
      {query && matches.length === 0 && (
        <span role="status" className="text-xs text-muted">
          No model matches “{query}”
        </span>
      )}
    </div>
  );
}
