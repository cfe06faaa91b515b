import { MessagesSquare } from "lucide-react";

/** The signed-out pages: one centered card. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm rounded-lg border border-border bg-surface p-6 shadow-sm">
        <p className="mb-6 flex items-center gap-2 font-semibold">
          <MessagesSquare aria-hidden className="h-5 w-5 text-accent" />
          Parley
        </p>
        {children}
      </div>
    </main>
  );
}
