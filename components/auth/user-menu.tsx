"use client";

import Link from "next/link";
import { ChartColumn, Keyboard, LogOut, Settings, UserRound } from "lucide-react";
import { useDetailsDismiss } from "@/components/ui/use-details-dismiss";
import { logoutAction } from "@/lib/auth/actions";
import type { AuthUser } from "@/lib/auth/types";
import { cn } from "@/lib/utils/cn";

/**
 * The signed-in user's menu, in the app bar and in the chat header. A native <details> disclosure (usable before
 * hydration); once hydrated, Escape and a click outside close it and focus returns to its button. Log out is a
 * form posting to a server action.
 */
export function UserMenu({
  user,
  onShowShortcuts,
  compact = false,
}: {
  user: Pick<AuthUser, "email" | "fullName">;
  /** The chat screen's shortcuts dialog, offered as an item where there is one. */
  onShowShortcuts?: () => void;
  /** Icon only (the chat header on any screen width). */
  compact?: boolean;
}) {
  const label = user.fullName || user.email;
  const details = useDetailsDismiss();
  const item = "flex w-full items-center gap-2 rounded px-2 py-2 text-left text-sm hover:bg-surface-2";
  return (
    <details ref={details} className="relative">
      <summary
        className={cn(
          "flex h-9 cursor-pointer list-none items-center gap-2 rounded-md px-2 text-sm hover:bg-surface-2 [&::-webkit-details-marker]:hidden",
          compact && "h-10 w-10 justify-center px-0",
        )}
        aria-label={`Account menu for ${label}`}
      >
        <UserRound aria-hidden className="h-4 w-4" />
        {!compact && <span className="hidden max-w-40 truncate sm:inline">{label}</span>}
      </summary>
      <div className="absolute right-0 z-40 mt-2 w-64 rounded-md border border-border bg-surface p-2 shadow-lg">
        <div className="border-b border-border px-2 pb-2">
          {user.fullName && <p className="truncate text-sm font-medium">{user.fullName}</p>}
          <p className="truncate text-xs text-muted" data-testid="user-email">
            {user.email}
          </p>
        </div>
        <Link href="/settings" className={cn(item, "mt-1")}>
          <Settings aria-hidden className="h-4 w-4" />
          Settings
        </Link>
        <Link href="/usage" className={item}>
          <ChartColumn aria-hidden className="h-4 w-4" />
          Usage
        </Link>
        {onShowShortcuts && (
          <button
            type="button"
            className={item}
            onClick={(event) => {
              event.currentTarget.closest("details")?.removeAttribute("open");
              onShowShortcuts();
            }}
          >
            <Keyboard aria-hidden className="h-4 w-4" />
            Keyboard shortcuts
          </button>
        )}
        <form action={logoutAction}>
          <button type="submit" className={item}>
            <LogOut aria-hidden className="h-4 w-4" />
            Log out
          </button>
        </form>
      </div>
    </details>
  );
}
