import { withNextCursor } from "@/lib/api/pagination";
import { queryOf, withUser } from "@/lib/api/route";
import { searchChatsOf } from "@/lib/search/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/search?q=&limit=&cursor= → the caller's chats matching `q`, newest match first. */
export const GET = withUser("search", async ({ user, request }) => {
  const page = await searchChatsOf(user.id, queryOf(request));
  return withNextCursor(page.items, page.nextCursor);
});
