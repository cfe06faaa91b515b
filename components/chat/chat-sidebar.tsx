"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Archive, ArrowLeft, MessageSquarePlus, Pencil, Pin, Trash2, X } from "lucide-react";
import { usePagedList } from "@/components/hooks/use-paged-list";
import { Button, buttonStyles } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/lib/utils/cn";
import { ArchivedChats } from "./archived-chats";
import { ChatRowMenu } from "./chat-row-menu";
import { SearchChats } from "@/components/search/search-dialog";
import { RenameField } from "./rename-field";
import { archiveChatAction, deleteChatAction, loadMoreChatsAction, pinChatAction, renameChatAction } from "@/lib/chats/actions";
import { chatHref, newChatHref, type SidebarSession } from "@/lib/chats/chat-data";

export interface ChatSidebarProps {
  projectId: string;
  projectName: string;
  /** Pinned chats, listed whole above the others. */
  pinnedSessions?: SidebarSession[];
  /** The first page of the other (unpinned, unarchived) chats. */
  sessions: SidebarSession[];
  /** Set when more chats exist than the first page. */
  nextCursor?: string;
  activeSessionId?: string;
  /** The drawer on small screens; on wide screens the sidebar is shown unless `hidden` (Ctrl/⌘+Shift+S). */
  open: boolean;
  hidden?: boolean;
  onClose: () => void;
}

const FOCUSABLE = "a[href], button:not([disabled]), input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";
/** A row's icon buttons: shown on hover with a mouse; always there, and a 44 px target, on touch-sized screens. */
const ROW_BUTTON =
  "inline-flex items-center justify-center rounded p-1 text-muted opacity-70 hover:bg-surface focus-visible:opacity-100 max-md:h-11 max-md:w-11 max-md:opacity-100 md:opacity-0 md:group-hover:opacity-100";

/**
 * The project's chats. Reusable: the project page can show it without an active chat. Server data arrives as
 * props (refreshed with router.refresh after each change); local state only holds extra pages and the edits
 * in flight, so it never drifts from the database for long.
 */
export function ChatSidebar({
  projectId,
  projectName,
  pinnedSessions = [],
  sessions,
  nextCursor,
  activeSessionId,
  open,
  hidden = false,
  onClose,
}: ChatSidebarProps) {
  const router = useRouter();
  const toast = useToast();
  // Refreshed server data with the same first page keeps the pages loaded after it and the changes made here; a
  // different one (a chat archived, restored, pinned or unpinned) starts over from it.
  const list = usePagedList({
    firstPage: sessions,
    nextCursor,
    resetKey: `${nextCursor ?? ""}|${sessions.map((s) => s.id).join(",")}`,
    loadPage: async (cursor) => {
      const result = await loadMoreChatsAction(projectId, cursor);
      if (result.ok) return { items: result.data.sessions, nextCursor: result.data.nextCursor };
      toast.show(result.error, "error");
      return null;
    },
  });
  // A chat pinned since its page was loaded is shown once, among the pinned.
  const pinnedIds = new Set(pinnedSessions.map((s) => s.id));
  const visible = list.items.filter((s) => !pinnedIds.has(s.id));
  const [view, setView] = useState<"chats" | "archived">("chats");
  const [, startListing] = useTransition();
  const [editingId, setEditingId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<SidebarSession | null>(null);
  const [deleting, startDelete] = useTransition();
  const navRef = useRef<HTMLElement>(null);

  // The open drawer is modal: focus stays in it (Tab wraps around) until Escape, the backdrop or a link closes it.
  useEffect(() => {
    if (!open) return;
    navRef.current?.querySelector<HTMLElement>("a, button")?.focus();
    const onKey = (event: KeyboardEvent) => {
      // A dialog opened from the drawer (delete) or a menu in it handles its own keys.
      if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
      if (event.key === "Escape") {
        event.preventDefault();
        onClose();
      } else if (event.key === "Tab" && navRef.current) {
        const focusable = [...navRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
        const first = focusable[0];
        const last = focusable.at(-1);
        if (!first || !last) return;
        const inside = navRef.current.contains(document.activeElement);
        if (event.shiftKey && (document.activeElement === first || !inside)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
          event.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, onClose]);

  // After a rename ends by keyboard, focus goes to the chat's link (the field it replaced is gone).
  // Read after the render that put the link back (every render: the field goes away with `editingId`).
  const refocusId = useRef<string | null>(null);
  useEffect(() => {
    const id = refocusId.current;
    if (!id) return;
    refocusId.current = null;
    navRef.current?.querySelector<HTMLElement>(`a[data-chat-id="${CSS.escape(id)}"]`)?.focus();
  });

  function rename(session: SidebarSession, title: string, refocus: boolean) {
    setEditingId(null);
    if (refocus) refocusId.current = session.id;
    const trimmed = title.trim();
    if (!trimmed || trimmed === session.title) return;
    const renamed = { ...session, title: trimmed };
    list.mutate({ kind: "replace", item: renamed }, async () => {
      const result = await renameChatAction(session.id, trimmed);
      if (!result.ok) {
        toast.show(result.error, "error");
        return null;
      }
      router.refresh();
      return { kind: "replace", item: renamed };
    });
  }

  function pin(session: SidebarSession, pinned: boolean) {
    startListing(async () => {
      const result = await pinChatAction(session.id, pinned);
      if (!result.ok) {
        toast.show(result.error, "error");
        return;
      }
      // The refreshed server data moves it: into the pinned list, or back to its place by activity.
      router.refresh();
    });
  }

  function archive(session: SidebarSession) {
    startListing(async () => {
      const result = await archiveChatAction(session.id, true);
      if (!result.ok) {
        toast.show(result.error, "error");
        return;
      }
      list.commit({ kind: "remove", id: session.id });
      toast.show("Chat archived", "success");
      router.refresh();
    });
  }

  function confirmDelete() {
    const session = confirming;
    if (!session) return;
    startDelete(async () => {
      const result = await deleteChatAction(session.id);
      setConfirming(null);
      if (!result.ok) {
        toast.show(result.error, "error");
        return;
      }
      list.commit({ kind: "remove", id: session.id });
      toast.show("Chat deleted", "success");
      if (session.id === activeSessionId) {
        const next = visible.find((s) => s.id !== session.id);
        router.replace(next ? chatHref(projectId, next.id) : newChatHref(projectId));
      } else {
        router.refresh();
      }
    });
  }

  function row(session: SidebarSession) {
    const { title } = session;
    const active = session.id === activeSessionId;
    return (
      <li
        key={session.id}
        className={cn("group flex items-center gap-1 rounded-md", active ? "bg-surface-2" : "hover:bg-surface-2")}
      >
        {editingId === session.id ? (
          <RenameField
            initial={title}
            onSave={(value, byKey) => rename(session, value, byKey)}
            onCancel={() => {
              refocusId.current = session.id;
              setEditingId(null);
            }}
          />
        ) : (
          <>
            <Link
              href={chatHref(projectId, session.id)}
              aria-current={active ? "page" : undefined}
              data-chat-id={session.id}
              onClick={onClose}
              className={cn(
                "min-w-0 flex-1 truncate rounded px-2 py-1.5 text-sm max-md:py-3",
                active ? "font-medium text-fg" : "text-fg/90",
              )}
              title={title}
            >
              {title}
            </Link>
            <button
              type="button"
              onClick={() => setEditingId(session.id)}
              aria-label={`Rename chat ${title}`}
              className={cn(ROW_BUTTON, "hover:text-fg")}
            >
              <Pencil aria-hidden className="h-3.5 w-3.5" />
            </button>
            <ChatRowMenu
              title={title}
              pinned={session.pinned}
              onPin={(pinned) => pin(session, pinned)}
              onArchive={() => archive(session)}
            />
            <button
              type="button"
              onClick={() => setConfirming({ ...session, title })}
              aria-label={`Delete chat ${title}`}
              className={cn(ROW_BUTTON, "mr-1 hover:text-danger")}
            >
              <Trash2 aria-hidden className="h-3.5 w-3.5" />
            </button>
          </>
        )}
      </li>
    );
  }

  return (
    <>
      {open && <div aria-hidden className="fixed inset-0 z-30 bg-black/40 md:hidden" onClick={onClose} />}
      <nav
        ref={navRef}
        id="chat-sidebar"
        aria-label="Chats"
        className={cn(
          "fixed inset-y-0 left-0 z-40 flex w-72 max-w-[85vw] flex-col border-r border-border bg-surface transition-transform md:static md:z-auto md:translate-x-0",
          hidden && "md:hidden",
          // Invisible (not only moved away) when closed on small screens, so Tab does not walk through it.
          open ? "translate-x-0" : "-translate-x-full max-md:invisible",
        )}
      >
        <div className="flex items-center gap-2 border-b border-border px-3 py-3">
          <Link
            href="/"
            className="flex min-w-0 flex-1 items-center gap-1.5 rounded text-sm text-muted hover:text-fg max-md:min-h-11"
          >
            <ArrowLeft aria-hidden className="h-4 w-4 shrink-0" />
            <span className="truncate">All projects</span>
          </Link>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close chat list"
            className="inline-flex h-11 w-11 items-center justify-center rounded text-muted hover:bg-surface-2 md:hidden"
          >
            <X aria-hidden className="h-4 w-4" />
          </button>
        </div>
        <div className="px-3 pt-3">
          <p className="truncate text-sm font-semibold" title={projectName}>
            {projectName}
          </p>
          {/* A link to an empty composer: nothing is stored until the first message (#14). */}
          <Link
            href={newChatHref(projectId)}
            onClick={onClose}
            className={cn(buttonStyles({ size: "sm" }), "mt-2 w-full justify-center max-md:h-11")}
          >
            <MessageSquarePlus aria-hidden className="h-4 w-4" />
            New chat
          </Link>
          {/* Opening a result closes the drawer on small screens, as the chat links do. */}
          <SearchChats className="mt-2 max-md:min-h-11" onNavigate={onClose} />
        </div>
        {view === "archived" ? (
          <ArchivedChats
            projectId={projectId}
            projectName={projectName}
            activeSessionId={activeSessionId}
            hrefOf={(sessionId) => chatHref(projectId, sessionId)}
            onNavigate={onClose}
          />
        ) : (
          <div className="mt-3 flex-1 overflow-y-auto px-2 pb-3">
            {pinnedSessions.length > 0 && (
              <>
                <h2 className="flex items-center gap-1 px-2 pb-1 text-xs font-medium text-muted">
                  <Pin aria-hidden className="h-3 w-3" /> Pinned
                </h2>
                <ul className="space-y-0.5 pb-2" aria-label={`Pinned chats in ${projectName}`}>
                  {pinnedSessions.map(row)}
                </ul>
              </>
            )}
            <ul className="space-y-0.5" aria-label={`Chats in ${projectName}`}>
              {visible.length === 0 && pinnedSessions.length === 0 && (
                <li className="px-2 py-2 text-sm text-muted">No chats yet.</li>
              )}
              {visible.map(row)}
              {list.nextCursor && (
                <li className="px-1 pt-2">
                  <Button
                    variant="ghost"
                    size="sm"
                    className="w-full justify-center"
                    onClick={list.loadMore}
                    pending={list.loadingMore}
                  >
                    Load more chats
                  </Button>
                </li>
              )}
            </ul>
          </div>
        )}
        <div className="border-t border-border px-2 py-2">
          <button
            type="button"
            onClick={() => setView((was) => (was === "archived" ? "chats" : "archived"))}
            aria-pressed={view === "archived"}
            className="flex w-full items-center gap-1.5 rounded px-2 py-1.5 text-sm text-muted hover:bg-surface-2 hover:text-fg max-md:min-h-11"
          >
            {view === "archived" ? <ArrowLeft aria-hidden className="h-4 w-4" /> : <Archive aria-hidden className="h-4 w-4" />}
            {view === "archived" ? "Back to chats" : "Archived chats"}
          </button>
        </div>
      </nav>
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title="Delete this chat?"
        description={
          confirming ? `“${confirming.title}” and all its messages will be deleted. This cannot be undone.` : undefined
        }
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button variant="danger" onClick={confirmDelete} pending={deleting}>
            Delete chat
          </Button>
        </div>
      </Dialog>
    </>
  );
}
