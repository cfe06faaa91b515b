import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Hourglass } from "lucide-react";
import { buttonStyles } from "@/components/ui/button";
import { logoutAction } from "@/lib/auth/actions";
import { pageAccountState, pageUser } from "@/lib/auth/page-user";

export const metadata: Metadata = { title: "Waiting for approval" };
export const dynamic = "force-dynamic";

/**
 * Where an account waiting for an admin's approval (sign-up policy `approval`) lands: every page sends it here
 * (requirePageUser) until an admin approves it; then this page sends it on.
 */
export default async function PendingPage() {
  const user = await pageUser();
  if (!user) redirect("/login");
  if ((await pageAccountState())?.status !== "pending") redirect("/");
  return (
    <main className="mx-auto flex min-h-dvh max-w-xl flex-col justify-center gap-6 px-6 py-12">
      <h1 className="flex items-center gap-2 text-2xl font-semibold">
        <Hourglass aria-hidden className="h-6 w-6 text-accent" />
        Waiting for approval
      </h1>
      <p>
        Your account <strong>{user.email}</strong> has been created, but an administrator of this Parley must approve it before
        you can chat. Nothing else is needed from you: once approved, reload this page or log in again.
      </p>
      <form action={logoutAction}>
        <button type="submit" className={buttonStyles({ variant: "secondary" })}>
          Log out
        </button>
      </form>
    </main>
  );
}
