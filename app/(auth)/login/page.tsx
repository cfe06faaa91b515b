import type { Metadata } from "next";
import Link from "next/link";
import { AuthForm } from "@/components/auth/auth-form";
import { LANDING_PATH, safeNextPath } from "@/lib/auth/next-path";
import { loginAction } from "@/lib/auth/actions";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next, reset } = await searchParams;
  const nextPath = safeNextPath(next);
  return (
    <>
      <h1 className="mb-4 text-xl font-semibold">Log in</h1>
      {reset === "1" && (
        <p role="status" className="mb-4 rounded-md border border-success px-3 py-2 text-sm text-success">
          Your password has been changed. Log in with the new one.
        </p>
      )}
      <AuthForm
        action={loginAction}
        hidden={{ next: nextPath }}
        submitLabel="Log in"
        fields={[
          { name: "email", label: "Email", type: "email", autoComplete: "email" },
          { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
        ]}
        footer={
          <div className="flex justify-between text-sm">
            <Link href="/forgot-password" className="text-accent underline underline-offset-2">
              Forgot password?
            </Link>
            <Link
              href={nextPath === LANDING_PATH ? "/register" : { pathname: "/register", query: { next: nextPath } }}
              className="text-accent underline underline-offset-2"
            >
              Create an account
            </Link>
          </div>
        }
      />
    </>
  );
}
