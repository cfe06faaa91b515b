"use client";

import Link from "next/link";
import type { Route } from "next";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { ArrowLeft, MessageSquarePlus, Pencil, Trash2, X } from "lucide-react";
import { usePagedList } from "@/components/hooks/use-paged-list";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/lib/utils/cn";
import { RenameField } from "./rename-field";
import { createChatAction, deleteChatAction, loadMoreChatsAction, renameChatAction } from "@/lib/chats/actions";
import type { SidebarSession } from "@/lib/chats/chat-data";

export interface ChatSidebarProps {
  projectId: string;
  projectName: string;
  sessions: SidebarSession[];
  /** Set when more chats exist than the first page. */
  nextCursor?: string;
  activeSessionId?: string;
  /** The drawer on small screens; on wide screens the sidebar is always shown. */
  open: boolean;
  onClose: () => void;
}

export function chatHref(projectId: string, sessionId: string): Route {
  return `/projects/${projectId}/chats/${sessionId}` as Route;
}

/**
 * The project's chats. Reusable: the project page can show it without an active chat. Server data arrives as
 * props (refreshed with router.refresh after each change); local state only holds extra pages and the edits
 * in flight, so it never drifts from the database for long.
 */
export function ChatSidebar({ projectId, projectName, sessions, nextCursor, activeSessionId, open, onClose }: ChatSidebarProps) {
  const router = useRouter();
  const toast = useToast();
  // Refreshed server data with the same first-page cursor keeps the pages loaded after it.
  const list = usePagedList({
    firstPage: sessions,
    nextCursor,
    resetKey: nextCursor,
    loadPage: async (cursor) => {
      const result = await loadMoreChatsAction(projectId, cursor);
      if (result.ok) return { items: result.data.sessions, nextCursor: result.data.nextCursor };
      toast.show(result.error, "error");
      return null;
    },
  });
  const visible = list.items;
  const [editingId, setEditingId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<SidebarSession | null>(null);
  const [creating, startCreate] = useTransition();
  const [deleting, startDelete] = useTransition();
  const navRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    navRef.current?.querySelector<HTMLElement>("a, button")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, onClose]);

  function newChat() {
    startCreate(async () => {
      const result = await createChatAction(projectId);
      // On success the action redirects, so only failures come back.
      if (result && !result.ok) toast.show(result.error, "error");
    });
  }

  function rename(session: SidebarSession, title: string) {
    setEditingId(null);
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
        router.replace(next ? chatHref(projectId, next.id) : (`/projects/${projectId}` as Route));
      } else {
        router.refresh();
      }
    });
  }

  return (
    <>
      {open && <div aria-hidden className="fixed inset-0 z-30 bg-black/40 md:hidden" onClick={onClose} />}
      <nav
        ref={navRef}
        id="chat-sidebar"
        aria-label="Chats"
        className={cn(
          "fixed inset-y-0 left-0 z-40 flex w-72 flex-col border-r border-border bg-surface transition-transform md:static md:z-auto md:translate-x-0",
          // Invisible (not only moved away) when closed on small screens, so Tab does not walk through it.
          open ? "translate-x-0" : "-translate-x-full max-md:invisible",
        )}
      >
        <div className="flex items-center gap-2 border-b border-border px-3 py-3">
          <Link href="/" className="flex min-w-0 flex-1 items-center gap-1.5 rounded text-sm text-muted hover:text-fg">
            <ArrowLeft aria-hidden className="h-4 w-4 shrink-0" />
            <span className="truncate">All projects</span>
          </Link>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close chat list"
            className="rounded p-1 text-muted hover:bg-surface-2 md:hidden"
          >
            <X aria-hidden className="h-4 w-4" />
          </button>
        </div>
        <div className="px-3 pt-3">
          <p className="truncate text-sm font-semibold" title={projectName}>
            {projectName}
          </p>
          <Button className="mt-2 w-full justify-center" size="sm" onClick={newChat} pending={creating}>
            {!creating && <MessageSquarePlus aria-hidden className="h-4 w-4" />}
            New chat
          </Button>
        </div>
        <ul className="mt-3 flex-1 space-y-0.5 overflow-y-auto px-2 pb-3" aria-label={`Chats in ${projectName}`}>
          {visible.length === 0 && <li className="px-2 py-2 text-sm text-muted">No chats yet.</li>}
          {visible.map((session) => {
            const { title } = session;
            const active = session.id === activeSessionId;
            return (
              <li
                key={session.id}
                className={cn("group flex items-center gap-1 rounded-md", active ? "bg-surface-2" : "hover:bg-surface-2")}
              >
                {editingId === session.id ? (
                  <RenameField initial={title} onSave={(value) => rename(session, value)} onCancel={() => setEditingId(null)} />
                ) : (
                  <>
                    <Link
                      href={chatHref(projectId, session.id)}
                      aria-current={active ? "page" : undefined}
                      onClick={onClose}
                      className={cn(
                        "min-w-0 flex-1 truncate rounded px-2 py-1.5 text-sm",
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
                      className="rounded p-1 text-muted opacity-70 hover:bg-surface hover:text-fg focus-visible:opacity-100 md:opacity-0 md:group-hover:opacity-100"
                    >
                      <Pencil aria-hidden className="h-3.5 w-3.5" />
                    </button>
                    <button
                      type="button"
                      onClick={() => setConfirming({ ...session, title })}
                      aria-label={`Delete chat ${title}`}
                      className="mr-1 rounded p-1 text-muted opacity-70 hover:bg-surface hover:text-danger focus-visible:opacity-100 md:opacity-0 md:group-hover:opacity-100"
                    >
                      <Trash2 aria-hidden className="h-3.5 w-3.5" />
                    </button>
                  </>
                )}
              </li>
            );
          })}
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
