import { cache } from "react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { ArrowLeft, MessageSquare, Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { listSessions } from "@/lib/db/queries/sessions";
import { startChatFormAction } from "@/lib/chats/actions";
import { ApiError } from "@/lib/api/errors";
import { requirePageUser } from "@/lib/auth/page-user";
import { getProjectOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ projectId: string }> };

/** Once per request for the page and its title. Not the caller's, missing or malformed: the 404 page. */
const loadProject = cache(async (projectId: string) => {
  const user = await requirePageUser(`/projects/${projectId}`);
  try {
    return await getProjectOf(user.id, projectId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const project = await loadProject((await params).projectId);
  return { title: project.project_name };
}

/**
 * Opening a project opens its most recently active chat; a project without chats offers to start the first.
 */
export default async function ProjectPage({ params }: Params) {
  const project = await loadProject((await params).projectId);
  const user = await requirePageUser(`/projects/${project.id}`);
  const { rows } = await listSessions(user.id, { projectId: project.id, limit: 1 });
  if (rows[0]) redirect(`/projects/${project.id}/chats/${rows[0].id}`);
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8 sm:px-6">
      <Link href="/" className="flex w-fit items-center gap-1 rounded text-sm text-muted hover:text-fg">
        <ArrowLeft aria-hidden className="h-4 w-4" />
        All projects
      </Link>
      <div>
        <h1 className="text-2xl font-semibold break-words">{project.project_name}</h1>
        {project.project_description && <p className="mt-1 text-sm break-words text-muted">{project.project_description}</p>}
      </div>
      <section aria-labelledby="chats-heading" className="flex flex-col gap-3">
        <h2 id="chats-heading" className="text-lg font-semibold">
          Chats
        </h2>
        <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-border px-6 py-12 text-center text-sm text-muted">
          <MessageSquare aria-hidden className="h-8 w-8" />
          <p>No chats yet</p>
          <form action={startChatFormAction.bind(null, project.id)}>
            <Button type="submit" className="mt-2">
              <Plus aria-hidden className="h-4 w-4" />
              Start a chat
            </Button>
          </form>
        </div>
      </section>
    </main>
  );
}
