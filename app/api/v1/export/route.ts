import { withUser } from "@/lib/api/route";
import { downloadResponse, exportAccount } from "@/lib/transfer/service";

/** Everything of the caller's as one Parley export (JSON), streamed. */
export const GET = withUser("export", async ({ user }) => downloadResponse(exportAccount(user.id)));
