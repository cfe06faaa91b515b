import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/page-user";
import { LANDING_PATH } from "@/lib/auth/next-path";
import { newChatHref } from "@/lib/chats/chat-data";
import { landingProjectIdOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

/**
 * Where a login lands (#14): a new chat in the user's default project, ready to type in. An account without any
 * project gets its default project ("Personal") here, made once even when two tabs land together.
 */
export default async function LandingPage() {
  const user = await requirePageUser(LANDING_PATH);
  redirect(newChatHref(await landingProjectIdOf(user.id)));
}
