"use client";

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
}: ChatScreenProps) {
  const [drawerOpen, setDrawerOpen] = useState(false);
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
        sessions={sessions}
        nextCursor={sessionsCursor}
        activeSessionId={session.id}
        open={drawerOpen}
        onClose={closeDrawer}
      />
      {/* Keyed by chat: switching chats mounts a fresh useChat, so a stream of one chat can never land in another. */}
      <ChatView
        key={session.id}
        project={project}
        session={session}
        memory={memory}
        initialMessages={initialMessages}
        hasOlder={hasOlder}
        models={models}
        menuButtonRef={menuButton}
        drawerOpen={drawerOpen}
        onOpenDrawer={() => setDrawerOpen(true)}
      />
    </div>
  );
}
