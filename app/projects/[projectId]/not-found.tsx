import Link from "next/link";
import { AppHeader } from "@/components/app-header";

export default function ProjectNotFound() {
  return (
    <>
      <AppHeader />
      <main className="mx-auto flex max-w-3xl flex-col items-start gap-3 px-6 py-16">
        <h1 className="text-2xl font-semibold">Project not found</h1>
        <p className="text-muted">It may have been deleted, or the link is wrong.</p>
        <Link href="/" className="rounded text-accent underline">
          Back to your projects
        </Link>
      </main>
    </>
  );
}
