import Link from "next/link";

/** A project that is not the visitor's, missing or malformed (the page answers 404). */
export function ProjectNotFound() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col items-start gap-3 px-6 py-16">
      <h1 className="text-2xl font-semibold">Project not found</h1>
      <p className="text-muted">It may have been deleted, or the link is wrong.</p>
      <Link href="/" className="rounded text-accent underline">
        Back to your projects
      </Link>
    </main>
  );
}
