import Link from "next/link";
import { LogOut, Settings, UserRound } from "lucide-react";
import { logoutAction } from "@/lib/auth/actions";
import type { AuthUser } from "@/lib/auth/types";

/**
 * The signed-in user's menu in the app bar. A native <details> disclosure: keyboard and screen-reader usable
 * with no client JavaScript; log out is a form posting to a server action.
 */
export function UserMenu({ user }: { user: AuthUser }) {
  const label = user.fullName || user.email;
  return (
    <details className="relative">
      <summary
        className="flex h-9 cursor-pointer list-none items-center gap-2 rounded-md px-2 text-sm hover:bg-surface-2"
        aria-label={`Account menu for ${label}`}
      >
        <UserRound aria-hidden className="h-4 w-4" />
        <span className="hidden max-w-40 truncate sm:inline">{label}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-md border border-border bg-surface p-2 shadow-lg">
        <div className="border-b border-border px-2 pb-2">
          {user.fullName && <p className="truncate text-sm font-medium">{user.fullName}</p>}
          <p className="truncate text-xs text-muted" data-testid="user-email">
            {user.email}
          </p>
        </div>
        <Link href="/settings" className="mt-1 flex items-center gap-2 rounded px-2 py-2 text-sm hover:bg-surface-2">
          <Settings aria-hidden className="h-4 w-4" />
          Settings
        </Link>
        <form action={logoutAction}>
          <button type="submit" className="flex w-full items-center gap-2 rounded px-2 py-2 text-left text-sm hover:bg-surface-2">
            <LogOut aria-hidden className="h-4 w-4" />
            Log out
          </button>
        </form>
      </div>
    </details>
  );
}
