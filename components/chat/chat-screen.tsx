"use client";

import { usePathname } from "next/navigation";
import { useCallback, useRef, useState } from "react";
import type { SidebarSession } from "@/lib/chats/chat-data";
import { ChatSidebar } from "./chat-sidebar";
import { ChatView, type ChatData } from "./chat-view";

export interface ChatScreenProps extends ChatData {
  /** Listed above the others, whole. */
  pinnedSessions: SidebarSession[];
  sessions: SidebarSession[];
  sessionsCursor?: string;
}

export function ChatScreen({
  project,
  session,
  memory,
  pinnedSessions,
  sessions,
  sessionsCursor,
  initialMessages,
  hasOlder,
  models,
  focusMessageId,
}: ChatScreenProps) {
  const [drawerOpen, setDrawerOpen] = useState(false);
  // A new chat (no `session.id`) is one draft per arrival at the new-chat address: its first message changes the
  // address to the chat's (the screen stays), so arriving there again ("New chat" once more) starts the next draft.
  // A refresh keeps the address, and the draft: it may be streaming its first reply.
  const pathname = usePathname();
  const [draft, setDraft] = useState({ pathname, n: 0 });
  if (draft.pathname !== pathname) setDraft({ pathname, n: pathname.endsWith("/chats/new") ? draft.n + 1 : draft.n });
  // A new chat stored by its first message: listed at once, until the server's next list has it. Kept with the
  // draft it came from: the next "New chat" is not it.
  const [stored, setStored] = useState<{ draft: number; chat: SidebarSession } | null>(null);
  const created = stored && stored.draft === draft.n ? stored.chat : null;
  const onCreated = useCallback((chat: SidebarSession) => setStored({ draft: draft.n, chat }), [draft.n]);
  const listed = created && !sessions.some((s) => s.id === created.id) ? [created, ...sessions] : sessions;
  const menuButton = useRef<HTMLButtonElement>(null);
  const closeDrawer = useCallback(() => {
    setDrawerOpen((wasOpen) => {
      // Focus goes back to the button that opened the drawer.
      if (wasOpen) queueMicrotask(() => menuButton.current?.focus());
      return false;
    });
  }, []);

  return (
    <div className="flex h-dvh overflow-hidden">
      <ChatSidebar
        projectId={project.id}
        projectName={project.name}
        pinnedSessions={pinnedSessions}
        sessions={listed}
        nextCursor={sessionsCursor}
        activeSessionId={session.id ?? created?.id}
        open={drawerOpen}
        onClose={closeDrawer}
      />
      {/* Keyed by chat: switching chats mounts a fresh useChat, so a stream of one chat can never land in another.
          And by the search result it shows: its page of messages reaches back to that message. */}
      <ChatView
        key={session.id ? `${session.id}:${focusMessageId ?? ""}` : `new-${draft.n}`}
        project={project}
        session={session}
        memory={memory}
        initialMessages={initialMessages}
        hasOlder={hasOlder}
        models={models}
        focusMessageId={focusMessageId}
        menuButtonRef={menuButton}
        drawerOpen={drawerOpen}
        onOpenDrawer={() => setDrawerOpen(true)}
        onCreated={onCreated}
      />
    </div>
  );
}
