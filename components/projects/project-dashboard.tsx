"use client";

import { useEffect, useOptimistic, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { Route } from "next";
import { FolderPlus, LoaderCircle, Plus, Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { fieldClass } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/lib/utils/cn";
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

type Change = { kind: "add"; project: Project } | { kind: "replace"; project: Project } | { kind: "remove"; id: string };

function applyChange(items: Project[], change: Change): Project[] {
  switch (change.kind) {
    case "add":
      return [change.project, ...items.filter((p) => p.id !== change.project.id)];
    case "replace":
      return items.map((p) => (p.id === change.project.id ? change.project : p));
    case "remove":
      return items.filter((p) => p.id !== change.id);
  }
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
  const [items, setItems] = useState(initialItems);
  const [cursor, setCursor] = useState(initialCursor);
  // A new search (or refresh) brings a new first page from the server: start over from it.
  const [source, setSource] = useState(initialItems);
  if (source !== initialItems) {
    setSource(initialItems);
    setItems(initialItems);
    setCursor(initialCursor);
  }
  const [optimisticItems, applyOptimistic] = useOptimistic(items, applyChange);
  const [, startMutation] = useTransition();
  const [loadingMore, startLoadMore] = useTransition();
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
    startMutation(async () => {
      if (target === "new" || target === null) {
        applyOptimistic({ kind: "add", project: draftProject(input) });
        const result = await createProjectAction(input);
        if (result.ok) {
          startMutation(() => setItems((current) => applyChange(current, { kind: "add", project: result.data })));
          toast.show(`Created “${result.data.project_name}”`, "success");
        } else toast.show(`Could not create the project: ${result.error}`, "error");
      } else {
        applyOptimistic({ kind: "replace", project: { ...draftProject(input), id: target.id, user_id: target.user_id, created_at: target.created_at, chat_count: target.chat_count, last_activity_at: target.last_activity_at } });
        const result = await updateProjectAction(target.id, input);
        if (result.ok) {
          startMutation(() => setItems((current) => applyChange(current, { kind: "replace", project: result.data })));
          toast.show("Changes saved", "success");
        } else toast.show(`Could not save “${target.project_name}”: ${result.error}`, "error");
      }
    });
  }

  function remove(project: Project) {
    setDeleting(null);
    startMutation(async () => {
      applyOptimistic({ kind: "remove", id: project.id });
      const result = await deleteProjectAction(project.id);
      if (result.ok) {
        startMutation(() => setItems((current) => applyChange(current, { kind: "remove", id: project.id })));
        toast.show(`Deleted “${project.project_name}”`, "success");
      } else toast.show(`Could not delete “${project.project_name}”: ${result.error}`, "error");
    });
    // The focused button went away with its card: give focus a sensible home.
    newButton.current?.focus();
  }

  function loadMore() {
    if (!cursor) return;
    startLoadMore(async () => {
      const result = await loadProjectsPageAction({ cursor, q: query || undefined });
      if (!result.ok) {
        toast.show(`Could not load more projects: ${result.error}`, "error");
        return;
      }
      startLoadMore(() => {
        setItems((current) => [...current, ...result.data.items.filter((p) => !current.some((c) => c.id === p.id))]);
        setCursor(result.data.nextCursor);
      });
    });
  }

  const editingProject = editing && editing !== "new" ? editing : undefined;
  const isEmpty = optimisticItems.length === 0;

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
          {searching && <LoaderCircle aria-label="Searching" className="absolute top-1/2 right-3 h-4 w-4 -translate-y-1/2 animate-spin text-muted" />}
        </div>
        <Button ref={newButton} onClick={() => setEditing("new")}>
          <Plus aria-hidden className="h-4 w-4" />
          New project
        </Button>
      </div>

      {isEmpty && !query && (
        <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-border px-6 py-16 text-center">
          <FolderPlus aria-hidden className="h-10 w-10 text-muted" />
          <h2 className="text-lg font-semibold">No projects yet</h2>
          <p className="max-w-md text-sm text-muted">A project holds chats that share a system prompt, a default model and memory settings.</p>
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
          {optimisticItems.map((project) => (
            <ProjectCard key={project.id} project={project} pending={project.id.startsWith(PENDING_PREFIX)} onEdit={setEditing} onDelete={setDeleting} />
          ))}
        </ul>
      )}

      {cursor && (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={loadMore} pending={loadingMore}>
            Load more projects
          </Button>
        </div>
      )}

      <ProjectFormDialog open={editing !== null} project={editingProject} models={models} memoryDefaults={memoryDefaults} onClose={() => setEditing(null)} onSubmit={save} />
      <DeleteProjectDialog project={deleting} onCancel={() => setDeleting(null)} onConfirm={remove} />
    </section>
  );
}
