"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { Route } from "next";
import { FolderPlus, LoaderCircle, MessageSquarePlus, Plus, Search } from "lucide-react";
import { usePagedList } from "@/components/hooks/use-paged-list";
import { Button, buttonStyles } from "@/components/ui/button";
import { fieldClass } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/lib/utils/cn";
import { LANDING_PATH } from "@/lib/auth/next-path";
import { createProjectAction, deleteProjectAction, loadProjectsPageAction, updateProjectAction } from "@/lib/projects/actions";
import type { Project, ProjectCreateInput } from "@/lib/projects/schemas";
import { DeleteProjectDialog } from "./delete-project-dialog";
import { ProjectCard } from "./project-card";
import { ProjectFormDialog, type ModelOption } from "./project-form-dialog";

interface Props {
  initialItems: Project[];
  initialCursor?: string;
  query: string;
  models: ModelOption[];
  memoryDefaults: { threshold: number; keepRecent: number };
}

const PENDING_PREFIX = "pending-";
const SEARCH_DEBOUNCE_MS = 300;

/** What the server would return for a new project, shown until it answers. */
function draftProject(input: ProjectCreateInput): Project {
  const now = new Date().toISOString();
  return {
    id: `${PENDING_PREFIX}${crypto.randomUUID()}`,
    user_id: "",
    project_name: input.project_name,
    project_description: input.project_description ?? null,
    system_prompt: input.system_prompt,
    created_at: now,
    updated_at: now,
    default_model: input.default_model ?? null,
    memory_enabled: input.memory_enabled ?? true,
    memory_threshold: input.memory_threshold ?? null,
    memory_keep_recent: input.memory_keep_recent ?? null,
    cost: "0",
    chat_count: 0,
    last_activity_at: now,
  };
}

/**
 * The project list. The server component renders the first page; this keeps later pages and the user's changes.
 * Every change is shown at once (useOptimistic) and confirmed by a server action; when the server refuses, the
 * optimistic state falls away by itself as the transition ends, and a toast says why.
 */
export function ProjectDashboard({ initialItems, initialCursor, query, models, memoryDefaults }: Props) {
  const router = useRouter();
  const toast = useToast();
  // A new search (or refresh) brings a new first page from the server: the list starts over from it.
  const list = usePagedList({
    firstPage: initialItems,
    nextCursor: initialCursor,
    resetKey: initialItems,
    loadPage: async (cursor) => {
      const result = await loadProjectsPageAction({ cursor, q: query || undefined });
      if (result.ok) return result.data;
      toast.show(`Could not load more projects: ${result.error}`, "error");
      return null;
    },
  });
  const [searching, startSearch] = useTransition();

  const [editing, setEditing] = useState<Project | "new" | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const [search, setSearch] = useState(query);
  const newButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const wanted = search.trim();
    if (wanted === query) return;
    const timer = setTimeout(() => {
      startSearch(() => router.replace((wanted ? `/?q=${encodeURIComponent(wanted)}` : "/") as Route, { scroll: false }));
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, query, router]);

  function save(input: ProjectCreateInput) {
    const target = editing;
    setEditing(null);
    if (target === "new" || target === null) {
      list.mutate({ kind: "add", item: draftProject(input) }, async () => {
        const result = await createProjectAction(input);
        if (!result.ok) return refused(`Could not create the project: ${result.error}`);
        toast.show(`Created “${result.data.project_name}”`, "success");
        return { kind: "add", item: result.data };
      });
      return;
    }
    const draft = {
      ...draftProject(input),
      id: target.id,
      user_id: target.user_id,
      created_at: target.created_at,
      chat_count: target.chat_count,
      last_activity_at: target.last_activity_at,
    };
    list.mutate({ kind: "replace", item: draft }, async () => {
      const result = await updateProjectAction(target.id, input);
      if (!result.ok) return refused(`Could not save “${target.project_name}”: ${result.error}`);
      toast.show("Changes saved", "success");
      return { kind: "replace", item: result.data };
    });
  }

  function remove(project: Project) {
    setDeleting(null);
    list.mutate({ kind: "remove", id: project.id }, async () => {
      const result = await deleteProjectAction(project.id);
      if (!result.ok) return refused(`Could not delete “${project.project_name}”: ${result.error}`);
      toast.show(`Deleted “${project.project_name}”`, "success");
      return { kind: "remove", id: project.id };
    });
    // The focused button went away with its card: give focus a sensible home.
    newButton.current?.focus();
  }

  /** The server said no: the optimistic change falls away, the toast says why. */
  function refused(message: string): null {
    toast.show(message, "error");
    return null;
  }

  const editingProject = editing && editing !== "new" ? editing : undefined;
  const isEmpty = list.items.length === 0;

  return (
    <section aria-labelledby="projects-heading" className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 id="projects-heading" className="mr-auto text-2xl font-semibold">
          Projects
        </h1>
        <div className="relative w-full sm:w-72">
          <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 h-4 w-4 -translate-y-1/2 text-muted" />
          <input
            type="search"
            aria-label="Search projects by name"
            placeholder="Search projects"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            className={cn(fieldClass, "h-10 pl-9")}
          />
          {searching && (
            <LoaderCircle
              aria-label="Searching"
              className="absolute top-1/2 right-3 h-4 w-4 -translate-y-1/2 animate-spin text-muted"
            />
          )}
        </div>
        {/* One click to a composer in the default project (#14), which is made on first need: never prefetched, so
            only a click makes it. */}
        <Link href={LANDING_PATH as Route} prefetch={false} className={buttonStyles({ variant: "secondary" })}>
          <MessageSquarePlus aria-hidden className="h-4 w-4" />
          New chat
        </Link>
        <Button ref={newButton} onClick={() => setEditing("new")}>
          <Plus aria-hidden className="h-4 w-4" />
          New project
        </Button>
      </div>

      {isEmpty && !query && (
        <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-border px-6 py-16 text-center">
          <FolderPlus aria-hidden className="h-10 w-10 text-muted" />
          <h2 className="text-lg font-semibold">No projects yet</h2>
          <p className="max-w-md text-sm text-muted">
            A project holds chats that share a system prompt, a default model and memory settings.
          </p>
          <Button onClick={() => setEditing("new")}>Create your first project</Button>
        </div>
      )}
      {isEmpty && query && (
        <p role="status" className="rounded-lg border border-dashed border-border px-6 py-12 text-center text-sm text-muted">
          No projects match “{query}”.
        </p>
      )}

      {!isEmpty && (
        <ul aria-label="Your projects" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {list.items.map((project) => (
            <ProjectCard
              key={project.id}
              project={project}
              pending={project.id.startsWith(PENDING_PREFIX)}
              onEdit={setEditing}
              onDelete={setDeleting}
            />
          ))}
        </ul>
      )}

      {list.nextCursor && (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={list.loadMore} pending={list.loadingMore}>
            Load more projects
          </Button>
        </div>
      )}

      <ProjectFormDialog
        open={editing !== null}
        project={editingProject}
        models={models}
        memoryDefaults={memoryDefaults}
        onClose={() => setEditing(null)}
        onSubmit={save}
      />
      <DeleteProjectDialog project={deleting} onCancel={() => setDeleting(null)} onConfirm={remove} />
    </section>
  );
}
