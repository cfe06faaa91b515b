export const dynamic = "force-dynamic";

export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 px-6 py-16">
      <h1 className="text-3xl font-semibold">Parley</h1>
      <p className="text-muted">Self-hosted AI chat with projects, streaming replies and long-term memory.</p>
    </main>
  );
}
