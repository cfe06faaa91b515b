"use client";

import Link from "next/link";
import type { Route } from "next";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { ArchiveRestore } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { archiveChatAction, loadMoreChatsAction } from "@/lib/chats/actions";
import type { SidebarSession } from "@/lib/chats/chat-data";
import { cn } from "@/lib/utils/cn";

export interface ArchivedChatsProps {
  projectId: string;
  projectName: string;
  activeSessionId?: string;
  hrefOf: (sessionId: string) => Route;
  onNavigate: () => void;
}

/**
 * The sidebar's "Archived" view: the project's archived chats, loaded when it opens (most recently active
 * first, page by page), each can be opened or restored. Restoring refreshes the page's server data, so the chat
 * is back in the main list.
 */
export function ArchivedChats({ projectId, projectName, activeSessionId, hrefOf, onNavigate }: ArchivedChatsProps) {
  const router = useRouter();
  const toast = useToast();
  const [items, setItems] = useState<SidebarSession[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, startLoad] = useTransition();
  const [restoring, startRestore] = useTransition();

  function load(after: string | undefined) {
    startLoad(async () => {
      const result = await loadMoreChatsAction(projectId, after, "archived");
      if (!result.ok) {
        toast.show(result.error, "error");
        return;
      }
      setItems((current) => [...(after ? (current ?? []) : []), ...result.data.sessions]);
      setCursor(result.data.nextCursor);
    });
  }

  // Loaded on opening: the view is mounted only while shown.
  useEffect(() => {
    load(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per opening
  }, [projectId]);

  function restore(session: SidebarSession) {
    startRestore(async () => {
      const result = await archiveChatAction(session.id, false);
      if (!result.ok) {
        toast.show(result.error, "error");
        return;
      }
      setItems((current) => current?.filter((s) => s.id !== session.id) ?? null);
      toast.show("Chat restored", "success");
      router.refresh();
    });
  }

  return (
    <ul className="mt-3 flex-1 space-y-0.5 overflow-y-auto px-2 pb-3" aria-label={`Archived chats in ${projectName}`}>
      {items === null && loading && <li className="px-2 py-2 text-sm text-muted">Loading…</li>}
      {items?.length === 0 && <li className="px-2 py-2 text-sm text-muted">No archived chats.</li>}
      {items?.map((session) => {
        const active = session.id === activeSessionId;
        return (
          <li
            key={session.id}
            className={cn("group flex items-center gap-1 rounded-md", active ? "bg-surface-2" : "hover:bg-surface-2")}
          >
            <Link
              href={hrefOf(session.id)}
              aria-current={active ? "page" : undefined}
              onClick={onNavigate}
              className="min-w-0 flex-1 truncate rounded px-2 py-1.5 text-sm text-fg/90 max-md:py-3"
              title={session.title}
            >
              {session.title}
            </Link>
            <button
              type="button"
              onClick={() => restore(session)}
              disabled={restoring}
              aria-label={`Unarchive chat ${session.title}`}
              title="Unarchive"
              className="mr-1 inline-flex items-center justify-center rounded p-1 text-muted hover:bg-surface hover:text-fg disabled:opacity-50 max-md:h-11 max-md:w-11"
            >
              <ArchiveRestore aria-hidden className="h-3.5 w-3.5" />
            </button>
          </li>
        );
      })}
      {cursor && (
        <li className="px-1 pt-2">
          <Button variant="ghost" size="sm" className="w-full justify-center" onClick={() => load(cursor)} pending={loading}>
            Load more archived chats
          </Button>
        </li>
      )}
    </ul>
  );
}
