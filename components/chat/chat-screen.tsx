"use client";

import { usePathname } from "next/navigation";
import { useCallback, useRef, useState } from "react";
import type { SidebarSession } from "@/lib/chats/chat-data";
import { ChatSidebar } from "./chat-sidebar";
import { ChatView, type ChatData } from "./chat-view";

/** Tailwind's `md`: from here on the sidebar is a column, below it a drawer. */
const WIDE = "(min-width: 48rem)";

export interface ChatScreenProps extends ChatData {
  /** Listed above the others, whole. */
  pinnedSessions: SidebarSession[];
  sessions: SidebarSession[];
  sessionsCursor?: string;
  /** The signed-in user, for the account menu in the chat header. */
  user?: { email: string; fullName: string };
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
  user,
}: ChatScreenProps) {
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Ctrl/⌘+Shift+S on a wide screen hides the sidebar (the drawer is the narrow screen's).
  const [sidebarHidden, setSidebarHidden] = useState(false);
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

  const toggleSidebar = useCallback(() => {
    if (window.matchMedia(WIDE).matches) setSidebarHidden((hidden) => !hidden);
    else if (drawerOpen) closeDrawer();
    else setDrawerOpen(true);
  }, [drawerOpen, closeDrawer]);

  return (
    <div className="flex h-dvh overflow-hidden">
      {/* First in the tab order: past the chat list and a long message list, straight to typing. */}
      <a
        href="#chat-main"
        onClick={(event) => {
          const box = document.querySelector<HTMLTextAreaElement>("textarea[data-composer]");
          if (!box) return;
          event.preventDefault();
          box.focus();
        }}
        className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-sm font-medium text-accent-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to composer
      </a>
      <ChatSidebar
        projectId={project.id}
        projectName={project.name}
        pinnedSessions={pinnedSessions}
        sessions={listed}
        nextCursor={sessionsCursor}
        activeSessionId={session.id ?? created?.id}
        open={drawerOpen}
        hidden={sidebarHidden}
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
        onOpenDrawer={() => (sidebarHidden && window.matchMedia(WIDE).matches ? setSidebarHidden(false) : setDrawerOpen(true))}
        onToggleSidebar={toggleSidebar}
        sidebarHidden={sidebarHidden}
        user={user}
        onCreated={onCreated}
      />
    </div>
  );
}
