"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Download, Upload } from "lucide-react";
import { Button } from "@/components/ui/button";
import { fieldClass, Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import type { ImportResult } from "@/lib/transfer/schemas";

export interface TransferPanelProps {
  projects: { id: string; name: string }[];
  maxBytes: number;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/**
 * Settings → Export and import. The download is a plain link to the streaming endpoint (the browser saves it; no
 * script holds the file). The upload posts the file itself as the body of POST /api/v1/import, with the
 * session cookie, and shows the server's sentence on failure (it names the place in the file).
 */
export function TransferPanel({ projects, maxBytes }: TransferPanelProps) {
  const router = useRouter();
  const toast = useToast();
  const selectId = useId();
  const [file, setFile] = useState<File>();
  const [projectId, setProjectId] = useState("");
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<ImportResult>();
  const [pending, startImport] = useTransition();

  function submit() {
    setError(undefined);
    setDone(undefined);
    if (!file) return setError("Choose a file first");
    if (file.size > maxBytes) return setError(`The file is ${mib(file.size)}; the limit is ${mib(maxBytes)}`);
    startImport(async () => {
      const query = projectId ? `?project_id=${encodeURIComponent(projectId)}` : "";
      try {
        const response = await fetch(`/api/v1/import${query}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: file,
        });
        const body = (await response.json().catch(() => ({}))) as Partial<ImportResult> & { detail?: string };
        if (!response.ok) return setError(body.detail ?? `The import failed (${response.status})`);
        setDone(body as ImportResult);
        toast.show(`Imported ${body.chats} chat${body.chats === 1 ? "" : "s"}`, "success");
        router.refresh();
      } catch {
        setError("The server could not be reached; nothing was imported");
      }
    });
  }

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <p className="text-sm text-muted">
          Every project with its settings and system prompt, every chat and message, as one JSON file you can import here or on
          another Parley server. To save a single chat, use Export in the chat&apos;s header.
        </p>
        <a
          href="/api/v1/export"
          download
          className="inline-flex h-10 w-fit items-center gap-2 rounded-md border border-border bg-surface-2 px-4 text-sm font-medium hover:bg-surface"
        >
          <Download aria-hidden className="h-4 w-4" />
          Download everything (JSON)
        </a>
      </div>
      <form
        className="flex flex-col gap-3"
        aria-label="Import"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Input
          label="File to import"
          type="file"
          accept="application/json,.json"
          hint={`A Parley export, or conversations.json from a ChatGPT export (at most ${mib(maxBytes)}). A bad file imports nothing.`}
          onChange={(event) => {
            setFile(event.target.files?.[0]);
            setError(undefined);
          }}
          className="py-1.5"
        />
        <div className="flex flex-col gap-1">
          <label htmlFor={selectId} className="text-sm font-medium">
            Into
          </label>
          <select
            id={selectId}
            value={projectId}
            onChange={(event) => setProjectId(event.target.value)}
            className={`${fieldClass} h-10`}
          >
            <option value="">The projects in the file (Parley exports)</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <p className="text-xs text-muted">ChatGPT conversations need a project to go into.</p>
        </div>
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        {done && (
          <p role="status" className="text-sm">
            Imported {done.chats} chat{done.chats === 1 ? "" : "s"} and {done.messages} message
            {done.messages === 1 ? "" : "s"}
            {done.skipped > 0 ? ` (${done.skipped} empty conversation${done.skipped === 1 ? "" : "s"} skipped)` : ""}.{" "}
            {done.project_ids[0] && (
              <Link className="underline" href={`/projects/${done.project_ids[0]}`}>
                Open {done.project_ids.length > 1 ? "the first project" : "the project"}
              </Link>
            )}
          </p>
        )}
        <Button type="submit" pending={pending} className="w-fit">
          <Upload aria-hidden className="h-4 w-4" />
          Import
        </Button>
      </form>
    </div>
  );
}
