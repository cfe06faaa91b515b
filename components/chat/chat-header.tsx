"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode, type RefObject } from "react";
import { Download, Menu, ScrollText, SlidersHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/textarea";
import { useToast } from "@/components/ui/toast";
import { useDetailsDismiss } from "@/components/ui/use-details-dismiss";
import { cn } from "@/lib/utils/cn";
import { updateSystemPromptAction } from "@/lib/chats/actions";
import type { ModelOption } from "@/lib/chats/chat-data";
import { exactCost, formatCost, formatTokens } from "@/lib/usage/format";
import { ModelPicker } from "./model-picker";

export const SYSTEM_PROMPT_MAX = 20_000;

export interface ChatHeaderProps {
  title: string;
  /** Null for a new chat not stored yet: nothing to export. */
  sessionId: string | null;
  projectId: string;
  systemPrompt: string;
  model: string;
  models: ModelOption[];
  modelPending: boolean;
  onModelChange: (model: string) => void;
  menuButtonRef: RefObject<HTMLButtonElement | null>;
  drawerOpen: boolean;
  onOpenDrawer: () => void;
  /** The wide screen's sidebar is hidden (Ctrl/⌘+Shift+S): the drawer button shows there too. */
  sidebarHidden?: boolean;
  /** The account menu (Settings, Log out), last in the row. */
  account?: ReactNode;
  /** Quiet status next to the picker (memory state, context gauge). */
  status?: ReactNode;
  /** The chat's total tokens and cost (exact decimal string), shown beside the status. */
  usage?: { tokens: number; cost: string };
}

export function ChatHeader(props: ChatHeaderProps) {
  const {
    title,
    sessionId,
    projectId,
    systemPrompt,
    model,
    models,
    modelPending,
    onModelChange,
    menuButtonRef,
    drawerOpen,
    onOpenDrawer,
    sidebarHidden = false,
    account,
    status,
    usage,
  } = props;
  const [promptOpen, setPromptOpen] = useState(false);
  // The text just saved, until the server's refreshed page data brings it (or a newer one from elsewhere):
  // reopening the dialog right after a save must not show, and then save back, the old prompt.
  const [prompt, setPrompt] = useState(systemPrompt);
  const [promptFromServer, setPromptFromServer] = useState(systemPrompt);
  if (systemPrompt !== promptFromServer) {
    setPromptFromServer(systemPrompt);
    setPrompt(systemPrompt);
  }
  const tools = (
    <>
      {status}
      {usage && (
        <span
          className="whitespace-nowrap text-xs text-muted tabular-nums"
          data-testid="chat-usage"
          title={`This chat so far (replies, title and summaries): ${formatTokens(usage.tokens)} tokens, ${exactCost(usage.cost)}`}
        >
          {formatTokens(usage.tokens)} tokens · {formatCost(usage.cost)}
        </span>
      )}
      <ModelPicker model={model} models={models} pending={modelPending} onChange={onModelChange} />
      <Button variant="secondary" size="sm" onClick={() => setPromptOpen(true)}>
        <ScrollText aria-hidden className="h-4 w-4" />
        System prompt
      </Button>
      {sessionId && <ExportMenu sessionId={sessionId} />}
    </>
  );
  // Wide screens (xl: the memory and context words need the room): one row. Narrower ones: the title gets the row; memory, gauge, model, prompt and export move into
  // the "Chat options" menu. Its panel is rendered only while open: on wide screens (where it is never opened) each
  // control is in the page once.
  return (
    <header className="flex items-center gap-1 border-b border-border px-2 py-2 sm:gap-2 sm:px-4">
      <button
        ref={menuButtonRef}
        type="button"
        onClick={onOpenDrawer}
        aria-label="Open chat list"
        aria-controls="chat-sidebar"
        aria-expanded={drawerOpen}
        className={cn(
          "inline-flex h-10 w-10 shrink-0 items-center justify-center rounded text-muted hover:bg-surface-2",
          !sidebarHidden && "md:hidden",
        )}
      >
        <Menu aria-hidden className="h-5 w-5" />
      </button>
      <h1 className="min-w-0 flex-1 truncate px-1 text-base font-semibold" title={title}>
        {title}
      </h1>
      <div className="hidden items-center gap-2 xl:flex">{tools}</div>
      <ChatOptions>{tools}</ChatOptions>
      {account}
      <SystemPromptDialog
        open={promptOpen}
        onClose={() => setPromptOpen(false)}
        onSaved={setPrompt}
        projectId={projectId}
        initial={prompt}
      />
    </header>
  );
}

/** The narrow screen's menu of the header's tools. */
function ChatOptions({ children }: { children: ReactNode }) {
  const details = useDetailsDismiss();
  const [open, setOpen] = useState(false);
  return (
    <details ref={details} className="relative xl:hidden" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary
        aria-label="Chat options"
        className="inline-flex h-10 w-10 cursor-pointer list-none items-center justify-center rounded text-muted hover:bg-surface-2 [&::-webkit-details-marker]:hidden"
      >
        <SlidersHorizontal aria-hidden className="h-5 w-5" />
      </summary>
      <div
        className="absolute right-0 z-40 mt-1 flex w-[min(20rem,calc(100vw-1rem))] flex-col items-start gap-3 rounded-md border border-border bg-bg p-3 shadow-lg"
        data-testid="chat-options"
      >
        {open && children}
      </div>
    </details>
  );
}

/** Plain download links to the streaming endpoint: the browser saves the file, no script holds it. */
function ExportMenu({ sessionId }: { sessionId: string }) {
  const item = "block rounded px-3 py-1.5 text-sm whitespace-nowrap hover:bg-surface-2";
  const href = (format: "markdown" | "json") => `/api/v1/sessions/${sessionId}/export?format=${format}`;
  const details = useDetailsDismiss();
  return (
    <details ref={details} className="relative">
      <summary className="inline-flex h-8 cursor-pointer list-none items-center gap-1.5 rounded-md border border-border bg-surface-2 px-3 text-sm font-medium hover:bg-surface [&::-webkit-details-marker]:hidden">
        <Download aria-hidden className="h-4 w-4" />
        Export
      </summary>
      <div className="absolute right-0 z-20 mt-1 flex flex-col rounded-md border border-border bg-bg p-1 shadow-lg">
        <a className={item} href={href("markdown")} download>
          Export chat (Markdown)
        </a>
        <a className={item} href={href("json")} download>
          Export chat (JSON)
        </a>
      </div>
    </details>
  );
}

interface SystemPromptProps {
  projectId: string;
  initial: string;
  onSaved: (prompt: string) => void;
}

function SystemPromptDialog({ open, onClose, ...form }: SystemPromptProps & { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Project system prompt"
      description="Instructions sent with every chat in this project. Changes apply to the next reply."
    >
      {/* Mounted only while open, so each opening starts from the saved text. */}
      {open && <SystemPromptForm {...form} onDone={onClose} />}
    </Dialog>
  );
}

function SystemPromptForm({ projectId, initial, onSaved, onDone }: SystemPromptProps & { onDone: () => void }) {
  const toast = useToast();
  const router = useRouter();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string>();
  const [saving, startSave] = useTransition();
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        startSave(async () => {
          const result = await updateSystemPromptAction(projectId, value);
          if (!result.ok) {
            setError(result.error);
            return;
          }
          toast.show("System prompt saved", "success");
          onSaved(result.data.systemPrompt);
          onDone();
          router.refresh();
        });
      }}
    >
      <Textarea
        label="System prompt"
        value={value}
        onChange={(event) => {
          setValue(event.target.value);
          setError(undefined);
        }}
        maxLength={SYSTEM_PROMPT_MAX}
        showCount
        error={error}
        rows={12}
        className="font-mono"
      />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={saving}>
          Save
        </Button>
      </div>
    </form>
  );
}
