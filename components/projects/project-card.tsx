"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { MessageSquare, Pencil, Trash2 } from "lucide-react";
import { exactCost, formatCost } from "@/lib/usage/format";
import type { Project } from "@/lib/projects/schemas";
import { cn } from "@/lib/utils/cn";
import { RelativeTime } from "./relative-time";

interface Props {
  project: Project;
  /** Shown while the server has not confirmed an optimistic change. */
  pending?: boolean;
  onEdit: (project: Project) => void;
  onDelete: (project: Project) => void;
}

export function ProjectCard({ project, pending = false, onEdit, onDelete }: Props) {
  const chats = project.chat_count;
  return (
    <li
      data-testid="project-card"
      aria-busy={pending || undefined}
      className={cn(
        "group relative flex min-h-36 flex-col gap-2 rounded-lg border border-border bg-surface p-4 transition hover:border-accent",
        pending && "opacity-60",
      )}
    >
      <h2 className="pr-16 text-base font-semibold break-words">
        {pending ? (
          project.project_name
        ) : (
          // The link covers the card (after:inset-0) so the whole card opens the project, yet it stays one tab stop.
          <Link href={`/projects/${project.id}`} className="rounded after:absolute after:inset-0 after:content-['']">
            {project.project_name}
          </Link>
        )}
      </h2>
      {project.project_description ? (
        <p className="line-clamp-3 text-sm break-words text-fg/80">{project.project_description}</p>
      ) : (
        <p className="text-sm text-muted italic">No description</p>
      )}
      <div className="mt-auto flex items-center gap-3 pt-2 text-xs text-muted">
        <span className="flex items-center gap-1">
          <MessageSquare aria-hidden className="h-3.5 w-3.5" />
          {chats} {chats === 1 ? "chat" : "chats"}
        </span>
        <span aria-hidden>·</span>
        <span data-testid="project-cost" title={`Model calls in this project so far: ${exactCost(project.cost)}`}>
          {formatCost(project.cost)}
        </span>
        <span aria-hidden>·</span>
        <span>
          Active <RelativeTime iso={project.last_activity_at} />
        </span>
      </div>
      {/* Above the card-wide link (z-10) so the buttons stay clickable. */}
      <div className="absolute top-3 right-3 z-10 flex gap-1">
        <IconButton
          onClick={() => onEdit(project)}
          disabled={pending}
          label={`Edit ${project.project_name}`}
          hoverClass="hover:text-fg"
        >
          <Pencil aria-hidden className="h-4 w-4" />
        </IconButton>
        <IconButton
          onClick={() => onDelete(project)}
          disabled={pending}
          label={`Delete ${project.project_name}`}
          hoverClass="hover:text-danger"
        >
          <Trash2 aria-hidden className="h-4 w-4" />
        </IconButton>
      </div>
    </li>
  );
}

function IconButton({
  onClick,
  disabled,
  label,
  hoverClass,
  children,
}: {
  onClick: () => void;
  disabled: boolean;
  label: string;
  hoverClass: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      className={cn("rounded p-1.5 text-muted hover:bg-surface-2 disabled:opacity-40", hoverClass)}
    >
      {children}
    </button>
  );
}
