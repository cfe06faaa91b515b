import Link from "next/link";
import { MessagesSquare } from "lucide-react";
import { UserMenu } from "@/components/auth/user-menu";
import type { AuthUser } from "@/lib/auth/types";

/** The app bar on every signed-in page; the account menu when there is a user to show. */
export function AppHeader({
  user,
  isAdmin = false,
  children,
}: {
  user: AuthUser | null;
  /** Shows the link to /admin (the page itself checks again). */
  isAdmin?: boolean;
  children?: React.ReactNode;
}) {
  return (
    <header className="border-b border-border bg-surface">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 rounded font-semibold">
          <MessagesSquare aria-hidden className="h-5 w-5 text-accent" />
          Parley
        </Link>
        <div className="flex items-center gap-2">
          {children}
          {isAdmin && (
            <Link href="/admin" className="rounded px-2 py-1 text-sm hover:bg-surface-2">
              Admin
            </Link>
          )}
          {user && <UserMenu user={user} />}
        </div>
      </div>
    </header>
  );
}
