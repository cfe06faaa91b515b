import type { Metadata } from "next";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { requirePageUser } from "@/lib/auth/page-user";
import { getSessionWithProject } from "@/lib/db/queries/sessions";
import { listChats } from "@/lib/chats/service";
import { listMessagesPage } from "@/lib/db/queries/messages";
import { chatUsageTotals } from "@/lib/db/queries/usage";
import { listAvailableModels } from "@/lib/ai/models";
import { getConfig } from "@/lib/config/env";
import { resolveMemorySettings } from "@/lib/memory/settings";
import { storedMessageToUIMessage } from "@/lib/chat/ui/ui-messages";
import {
  MESSAGES_PAGE_SIZE,
  PINNED_SESSIONS_LIMIT,
  SESSIONS_PAGE_SIZE,
  toModelOption,
  toSidebarSession,
} from "@/lib/chats/chat-data";
import { DEFAULT_CHAT_TITLE, titleExpectedSoon } from "@/lib/chats/title-prompt";
import { ChatScreen } from "@/components/chat/chat-screen";

export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ projectId: string; sessionId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const paramsSchema = z.object({ projectId: z.uuid(), sessionId: z.uuid() });
/** `?m=<message id>`: a search result to scroll to; anything else is ignored. */
const messageParam = z.uuid();

/** The metadata and the page both need the chat: one query per request. */
const loadChat = cache((ownerId: string, sessionId: string) => getSessionWithProject(ownerId, sessionId));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) return { title: "Chat" };
  const user = await requirePageUser();
  const found = await loadChat(user.id, parsed.data.sessionId);
  return { title: found ? `${found.session.title} · ${found.project.name}` : "Chat" };
}

/**
 * The chat screen. Everything it shows on load comes from the database (so a reload shows exactly what was
 * stored), reading one page of messages however long the chat is; the client part streams new replies.
 */
export default async function ChatPage({ params, searchParams }: Props) {
  const raw = await params;
  const user = await requirePageUser(`/projects/${raw.projectId}/chats/${raw.sessionId}`);
  const parsed = paramsSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const { projectId, sessionId } = parsed.data;
  const focus = messageParam.safeParse((await searchParams).m);
  const focusMessageId = focus.success ? focus.data : undefined;

  const found = await loadChat(user.id, sessionId);
  if (!found) notFound();
  // A chat reached under another of the caller's projects: send them to its real address.
  if (found.project.id !== projectId) redirect(`/projects/${found.project.id}/chats/${sessionId}`);

  // Pinned chats first, then the others page by page: two lists, each in the one keyset order.
  const [pinned, sessions, page, models, usage] = await Promise.all([
    listChats(user.id, { projectId, limit: PINNED_SESSIONS_LIMIT, pinned: true }),
    listChats(user.id, { projectId, limit: SESSIONS_PAGE_SIZE, pinned: false }),
    listMessagesPage(user.id, sessionId, { limit: MESSAGES_PAGE_SIZE, throughId: focusMessageId }),
    listAvailableModels(user.id),
    chatUsageTotals(user.id, sessionId),
  ]);
  if (!page) notFound();

  return (
    <ChatScreen
      project={{ id: found.project.id, name: found.project.name, systemPrompt: found.project.systemPrompt }}
      session={{
        id: found.session.id,
        title: found.session.title,
        model: found.session.model,
        // A title may still be generated (after the first reply): the screen looks again until it arrives.
        titlePending: !found.session.titleSetByUser && found.session.title === DEFAULT_CHAT_TITLE,
        titleExpectedSoon: titleExpectedSoon(found.session),
        usage: { tokens: usage.inputTokens + usage.outputTokens, cost: usage.cost },
      }}
      memory={{
        summary: found.session.summary,
        throughSeq: found.session.summaryThroughSeq,
        coveredMessages: found.session.summaryCoveredMessages,
        status: found.session.summaryStatus,
        lastInputTokens: found.session.lastInputTokens,
        settings: resolveMemorySettings(found.project, getConfig().memory),
      }}
      pinnedSessions={pinned.rows.map(toSidebarSession)}
      sessions={sessions.rows.map(toSidebarSession)}
      sessionsCursor={sessions.nextCursor}
      initialMessages={page.rows.map(storedMessageToUIMessage)}
      hasOlder={page.hasMore}
      focusMessageId={focusMessageId}
      models={models.map(toModelOption)}
      user={{ email: user.email, fullName: user.fullName }}
    />
  );
}
