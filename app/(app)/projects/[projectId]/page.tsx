import { notFound, redirect } from "next/navigation";
import { ApiError } from "@/lib/api/errors";
import { requirePageUser } from "@/lib/auth/page-user";
import { chatHref, newChatHref } from "@/lib/chats/chat-data";
import { listChats } from "@/lib/chats/service";
import { getProjectOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ projectId: string }> };

/**
 * Opening a project opens its most recently active chat, or a new-chat composer when it has none (#14: no
 * interstitial page). Not the caller's, missing or malformed: the 404 page.
 */
export default async function ProjectPage({ params }: Params) {
  const { projectId } = await params;
  const user = await requirePageUser(`/projects/${projectId}`);
  let id: string;
  try {
    ({ id } = await getProjectOf(user.id, projectId));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  const { rows } = await listChats(user.id, { projectId: id, limit: 1 });
  redirect(rows[0] ? chatHref(id, rows[0].id) : newChatHref(id));
}
