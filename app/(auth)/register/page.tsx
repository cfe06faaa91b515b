import type { Metadata } from "next";
import { newPasswordFields } from "@/components/auth/password-fields";
import Link from "next/link";
import { AuthForm } from "@/components/auth/auth-form";
import { safeNextPath } from "@/lib/auth/next-path";
import { registerAction } from "@/lib/auth/actions";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegisterPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next } = await searchParams;
  return (
    <>
      <h1 className="mb-4 text-xl font-semibold">Create an account</h1>
      <AuthForm
        action={registerAction}
        hidden={{ next: safeNextPath(next) }}
        submitLabel="Create account"
        fields={[
          { name: "full_name", label: "Full name", type: "text", autoComplete: "name" },
          { name: "email", label: "Email", type: "email", autoComplete: "email" },
          ...newPasswordFields("Password", "Confirm password"),
        ]}
        footer={
          <p className="text-sm text-muted">
            Already have an account?{" "}
            <Link href="/login" className="text-accent underline underline-offset-2">
              Log in
            </Link>
          </p>
        }
      />
    </>
  );
}
