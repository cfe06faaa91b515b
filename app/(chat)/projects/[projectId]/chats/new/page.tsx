import type { Metadata } from "next";
import { cache } from "react";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageUser } from "@/lib/auth/page-user";
import { listAvailableModels } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import { PINNED_SESSIONS_LIMIT, SESSIONS_PAGE_SIZE, toModelOption, toSidebarSession } from "@/lib/chats/chat-data";
import { chooseChatModel, DEFAULT_CHAT_TITLE, listChats } from "@/lib/chats/service";
import { getProjectForNewSession } from "@/lib/db/queries/sessions";
import { resolveMemorySettings } from "@/lib/memory/settings";
import { ChatScreen } from "@/components/chat/chat-screen";

export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ projectId: string }>;
}

const projectIdSchema = z.uuid();

/** The metadata and the page both need the project: one query per request. Not the caller's: undefined. */
const loadProject = cache(async (projectId: string) => {
  const user = await requirePageUser(`/projects/${projectId}/chats/new`);
  const parsed = projectIdSchema.safeParse(projectId);
  return { user, project: parsed.success ? await getProjectForNewSession(user.id, parsed.data) : undefined };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { project } = await loadProject((await params).projectId);
  return { title: project ? `New chat · ${project.name}` : "Chat" };
}

/**
 * "New chat" (#14): the chat screen with an empty composer and nothing stored. The chat is created with its first
 * message (POST /api/chat with `newChat`), so opening this page any number of times leaves no empty chats.
 */
export default async function NewChatPage({ params }: Props) {
  const { user, project } = await loadProject((await params).projectId);
  if (!project) notFound();
  const [pinned, sessions, models, model] = await Promise.all([
    listChats(user.id, { projectId: project.id, limit: PINNED_SESSIONS_LIMIT, pinned: true }),
    listChats(user.id, { projectId: project.id, limit: SESSIONS_PAGE_SIZE, pinned: false }),
    listAvailableModels(user.id),
    chooseChatModel(user.id, project),
  ]);
  return (
    <ChatScreen
      project={{ id: project.id, name: project.name, systemPrompt: project.systemPrompt }}
      session={{ id: null, title: DEFAULT_CHAT_TITLE, model, titlePending: true }}
      memory={{
        summary: null,
        throughSeq: 0,
        coveredMessages: 0,
        status: "none",
        lastInputTokens: null,
        settings: resolveMemorySettings(project, getConfig().memory),
      }}
      pinnedSessions={pinned.rows.map(toSidebarSession)}
      sessions={sessions.rows.map(toSidebarSession)}
      sessionsCursor={sessions.nextCursor}
      initialMessages={[]}
      hasOlder={false}
      models={models.map(toModelOption)}
      user={{ email: user.email, fullName: user.fullName }}
    />
  );
}
