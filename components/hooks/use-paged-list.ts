import { useMemo, useOptimistic, useState, useTransition } from "react";

/** A change to a list of items with ids. */
export type ListChange<T> = { kind: "add"; item: T } | { kind: "replace"; item: T } | { kind: "remove"; id: string };

export function applyListChange<T extends { id: string }>(items: T[], change: ListChange<T>): T[] {
  switch (change.kind) {
    case "add":
      return [change.item, ...items.filter((i) => i.id !== change.item.id)];
    case "replace":
      return items.map((i) => (i.id === change.item.id ? change.item : i));
    case "remove":
      return items.filter((i) => i.id !== change.id);
  }
}

export interface ListPage<T> {
  items: T[];
  nextCursor?: string;
}

export interface PagedListOptions<T> {
  /** The first page as the server rendered it, and the cursor of the page after it. */
  firstPage: T[];
  nextCursor?: string;
  /** When this changes, the server sent a new first page: later pages and local changes start over from it. */
  resetKey: unknown;
  /** The page after `cursor`, or null when it could not be loaded (the caller has said why). */
  loadPage: (cursor: string) => Promise<ListPage<T> | null>;
}

interface Local<T> {
  key: unknown;
  later: T[];
  cursor?: string;
  changes: ListChange<T>[];
}

/**
 * A server-paged list (the dashboard's projects, the sidebar's chats): the server renders the first page, this
 * keeps the pages loaded after it and the changes made here. An item appears once, where it was first seen.
 * `mutate` shows a change at once and keeps it if the server confirms it; otherwise it falls away by itself when
 * the transition ends (useOptimistic). `commit` records a change the server has already confirmed.
 */
export function usePagedList<T extends { id: string }>({ firstPage, nextCursor, resetKey, loadPage }: PagedListOptions<T>) {
  const fresh = (): Local<T> => ({ key: resetKey, later: [], cursor: nextCursor, changes: [] });
  const [stored, setLocal] = useState(fresh);
  let local = stored;
  if (stored.key !== resetKey) {
    local = fresh();
    setLocal(local);
  }

  const confirmed = useMemo(() => {
    const seen = new Set<string>();
    const merged = [...firstPage, ...local.later].filter((item) => {
      if (seen.has(item.id)) return false;
      seen.add(item.id);
      return true;
    });
    return local.changes.reduce(applyListChange, merged);
  }, [firstPage, local.later, local.changes]);
  const [items, showChange] = useOptimistic(confirmed, applyListChange<T>);
  const [, startMutation] = useTransition();
  const [loadingMore, startLoadMore] = useTransition();

  function commit(change: ListChange<T>) {
    setLocal((current) => ({ ...current, changes: [...current.changes, change] }));
  }

  /** Shows `change` now; `confirm` asks the server and answers the change to keep, or null if it refused. */
  function mutate(change: ListChange<T>, confirm: () => Promise<ListChange<T> | null>) {
    startMutation(async () => {
      showChange(change);
      const kept = await confirm();
      if (kept) startMutation(() => commit(kept));
    });
  }

  function loadMore() {
    const { key, cursor } = local;
    if (!cursor) return;
    startLoadMore(async () => {
      const page = await loadPage(cursor);
      if (!page) return;
      // A page of a list that has since started over belongs to nothing shown.
      startLoadMore(() =>
        setLocal((current) =>
          current.key === key ? { ...current, later: [...current.later, ...page.items], cursor: page.nextCursor } : current,
        ),
      );
    });
  }

  return { items, nextCursor: local.cursor, loadMore, loadingMore, mutate, commit };
}
