import { queryOf, withUser } from "@/lib/api/route";
import { downloadResponse, exportChat } from "@/lib/transfer/service";

/** One chat as Markdown or as a Parley export (JSON), streamed. */
export const GET = withUser<{ id: string }>("session", async ({ user, request, params }) =>
  downloadResponse(await exportChat(user.id, params.id, queryOf(request))),
);
