"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FieldMessage, Input, fieldClass } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { MemoryNumberInput } from "./memory-number-input";
import { cn } from "@/lib/utils/cn";
import {
  MEMORY_KEEP_RECENT_RANGE,
  MEMORY_THRESHOLD_RANGE,
  PROJECT_DESCRIPTION_MAX,
  PROJECT_NAME_MAX,
  SYSTEM_PROMPT_MAX,
  projectCreateSchema,
  type Project,
  type ProjectCreateInput,
} from "@/lib/projects/schemas";

export interface ModelOption {
  id: string;
  name: string;
  available: boolean;
}

interface Props {
  open: boolean;
  /** The project being edited; absent when creating. */
  project?: Project;
  models: ModelOption[];
  memoryDefaults: { threshold: number; keepRecent: number };
  onClose: () => void;
  /** Called with input the shared schema accepted; the caller applies it optimistically. */
  onSubmit: (input: ProjectCreateInput) => void;
}

const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

/**
 * Create and edit share one form. It checks the input with the same zod schema the server uses, so mistakes
 * are shown in place before anything is sent; the server checks again and the caller rolls back if it refuses.
 */
export function ProjectFormDialog({ open, project, models, memoryDefaults, onClose, onSubmit }: Props) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={project ? `Edit “${project.project_name}”` : "New project"}
      description={project ? undefined : "A project groups chats that share a system prompt and settings."}
    >
      {/* Keyed so reopening starts from the project's current values, not from an abandoned edit. */}
      {open && (
        <ProjectForm
          key={project?.id ?? "new"}
          project={project}
          models={models}
          memoryDefaults={memoryDefaults}
          onCancel={onClose}
          onSubmit={onSubmit}
        />
      )}
    </Dialog>
  );
}

function ProjectForm({
  project,
  models,
  memoryDefaults,
  onCancel,
  onSubmit,
}: Omit<Props, "open" | "onClose"> & { onCancel: () => void }) {
  const id = useId();
  const [name, setName] = useState(project?.project_name ?? "");
  const [description, setDescription] = useState(project?.project_description ?? "");
  const [systemPrompt, setSystemPrompt] = useState(project?.system_prompt ?? "");
  const [defaultModel, setDefaultModel] = useState(project?.default_model ?? "");
  const [memoryEnabled, setMemoryEnabled] = useState(project?.memory_enabled ?? true);
  const [threshold, setThreshold] = useState(project?.memory_threshold?.toString() ?? "");
  const [keepRecent, setKeepRecent] = useState(project?.memory_keep_recent?.toString() ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const nameRef = useRef<HTMLInputElement>(null);

  // The native <dialog> opens (showModal) in its own effect, after this one, and then focuses its first control
  // (the Close button); wait a frame so typing starts in the name field.
  useEffect(() => {
    const frame = requestAnimationFrame(() => nameRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);

  const knownModel = models.some((m) => m.id === defaultModel);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = projectCreateSchema.safeParse({
      project_name: name,
      project_description: description,
      system_prompt: systemPrompt,
      default_model: defaultModel || null,
      memory_enabled: memoryEnabled,
      memory_threshold: numberOrNull(threshold),
      memory_keep_recent: numberOrNull(keepRecent),
    });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message])));
      const first = parsed.error.issues[0]?.path[0];
      if (first) document.getElementById(`${id}-${String(first)}`)?.focus();
      return;
    }
    setErrors({});
    onSubmit(parsed.data);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-label={project ? "Edit project" : "New project"}>
      <Input
        id={`${id}-project_name`}
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={PROJECT_NAME_MAX}
        ref={nameRef}
        required
        autoComplete="off"
        error={errors.project_name}
      />
      <Textarea
        id={`${id}-project_description`}
        label="Description (optional)"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        maxLength={PROJECT_DESCRIPTION_MAX}
        showCount
        rows={2}
        error={errors.project_description}
      />
      <Textarea
        id={`${id}-system_prompt`}
        label="System prompt"
        value={systemPrompt}
        onChange={(e) => setSystemPrompt(e.target.value)}
        maxLength={SYSTEM_PROMPT_MAX}
        showCount
        rows={10}
        className="min-h-48 font-mono text-[13px]"
        placeholder="You are a patient tutor. Explain step by step and ask one question at a time."
        hint="Sent to the model before every message in this project's chats: set its role, tone, rules and the background it should know."
        error={errors.system_prompt}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-default_model`} className="text-sm font-medium">
          Default model
        </label>
        <select
          id={`${id}-default_model`}
          value={defaultModel}
          onChange={(e) => setDefaultModel(e.target.value)}
          className={cn(fieldClass, "h-10")}
          aria-invalid={errors.default_model ? true : undefined}
        >
          <option value="">Platform default</option>
          {models.map((model) => (
            <option key={model.id} value={model.id} disabled={!model.available}>
              {model.name}
              {model.available ? "" : " (not configured)"}
            </option>
          ))}
          {defaultModel && !knownModel && <option value={defaultModel}>{defaultModel} (no longer offered)</option>}
        </select>
        <FieldMessage
          id={`${id}-default_model`}
          error={errors.default_model}
          hint="New chats start with this model; each chat can change it."
        />
      </div>
      <fieldset className="flex flex-col gap-3 rounded-md border border-border p-3">
        <legend className="px-1 text-sm font-medium">Memory</legend>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            checked={memoryEnabled}
            onChange={(e) => setMemoryEnabled(e.target.checked)}
            className="mt-0.5 h-4 w-4 accent-accent"
          />
          <span>
            Summarize long chats in the background
            <span className="block text-xs text-muted">
              Older turns are condensed so long conversations keep their thread within the model&apos;s context.
            </span>
          </span>
        </label>
        <div className="grid gap-3 sm:grid-cols-2">
          <MemoryNumberInput
            id={`${id}-memory_threshold`}
            label="Summarize after (messages)"
            range={MEMORY_THRESHOLD_RANGE}
            value={threshold}
            onValue={setThreshold}
            fallback={memoryDefaults.threshold}
            disabled={!memoryEnabled}
            error={errors.memory_threshold}
          />
          <MemoryNumberInput
            id={`${id}-memory_keep_recent`}
            label="Always keep recent (messages)"
            range={MEMORY_KEEP_RECENT_RANGE}
            value={keepRecent}
            onValue={setKeepRecent}
            fallback={memoryDefaults.keepRecent}
            disabled={!memoryEnabled}
            error={errors.memory_keep_recent}
          />
        </div>
      </fieldset>
      <div className="flex justify-end gap-2 border-t border-border pt-4">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit">{project ? "Save changes" : "Create project"}</Button>
      </div>
    </form>
  );
}
