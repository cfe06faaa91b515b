import { ProjectDashboard } from "@/components/projects/project-dashboard";
import { requirePageUser } from "@/lib/auth/page-user";
import { getConfig } from "@/lib/config/env";
import { listAvailableModels } from "@/lib/ai/models";
import { PROJECT_NAME_MAX } from "@/lib/projects/schemas";
import { listProjectsOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { q } = await searchParams;
  const query = typeof q === "string" ? q.trim().slice(0, PROJECT_NAME_MAX) : "";
  const user = await requirePageUser(query ? `/?q=${encodeURIComponent(query)}` : "/");
  // Only the first page is fetched here (one indexed query): later pages load on demand, so first paint does
  // not grow with the number of projects.
  const [page, models] = await Promise.all([listProjectsOf(user.id, { q: query || undefined }), listAvailableModels(user.id)]);
  const { memory } = getConfig();

  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
      <ProjectDashboard
        initialItems={page.items}
        initialCursor={page.nextCursor}
        query={query}
        models={models.map(({ id, name, available }) => ({ id, name, available }))}
        memoryDefaults={{ threshold: memory.threshold, keepRecent: memory.keepRecent }}
      />
    </main>
  );
}
