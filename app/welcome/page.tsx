import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { BrainCircuit, FolderKanban, MessagesSquare, Server } from "lucide-react";
import { buttonStyles } from "@/components/ui/button";
import { pageUser } from "@/lib/auth/page-user";

export const metadata: Metadata = { title: "Welcome" };

const FEATURES = [
  {
    icon: FolderKanban,
    title: "Projects",
    text: "Group chats by project, each with its own instructions and model.",
  },
  {
    icon: BrainCircuit,
    title: "Memory",
    text: "Long chats stay on topic: older turns are summarized, the latest are kept word for word.",
  },
  {
    icon: Server,
    title: "Yours",
    text: "Self-hosted, for you and your team: each account sees only its own chats.",
  },
] as const;

/**
 * What an anonymous visitor of `/` sees (proxy.ts sends them here): what Parley is, and the way in. A signed-in
 * visitor has nothing to do here and goes to the dashboard.
 */
export default async function WelcomePage() {
  if (await pageUser()) redirect("/");
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col justify-center gap-10 px-6 py-12">
      <div className="flex flex-col gap-4">
        <p className="flex items-center gap-2 font-semibold">
          <MessagesSquare aria-hidden className="h-6 w-6 text-accent" />
          Parley
        </p>
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Chat with AI models, on your own server.</h1>
        <p className="max-w-xl text-muted">
          Parley is a self-hosted chat for you and your team: replies stream as they are written, chats are kept in projects, and
          a background memory keeps long conversations within what the model can read.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link href="/login" className={buttonStyles()}>
            Log in
          </Link>
          <Link href="/register" className={buttonStyles({ variant: "secondary" })}>
            Sign up
          </Link>
        </div>
      </div>
      <ul className="grid gap-4 sm:grid-cols-3" aria-label="Features">
        {FEATURES.map(({ icon: Icon, title, text }) => (
          <li key={title} className="rounded-lg border border-border bg-surface p-4">
            <h2 className="mb-1 flex items-center gap-2 text-sm font-semibold">
              <Icon aria-hidden className="h-4 w-4 text-accent" />
              {title}
            </h2>
            <p className="text-sm text-muted">{text}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
