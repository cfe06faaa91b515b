import { AppHeader } from "@/components/app-header";
import { ProjectNotFound } from "@/components/projects/project-not-found";
import { pageUser } from "@/lib/auth/page-user";

/** A chat that is not the visitor's (or a malformed address): the full-screen chat has no app bar, this page does. */
export default async function ChatNotFound() {
  return (
    <>
      <AppHeader user={await pageUser()} />
      <ProjectNotFound />
    </>
  );
}
