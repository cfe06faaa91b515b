import type { Metadata } from "next";
import { newPasswordFields } from "@/components/auth/password-fields";
import Link from "next/link";
import { AuthForm } from "@/components/auth/auth-form";
import { resetPasswordAction } from "@/lib/auth/actions";

export const metadata: Metadata = { title: "Set a new password" };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token, token_hash: tokenHash } = await searchParams;
  // Built-in links carry `token`; Supabase recovery links carry `token_hash`.
  const value = typeof token === "string" ? token : typeof tokenHash === "string" ? tokenHash : "";
  return (
    <>
      <h1 className="mb-4 text-xl font-semibold">Set a new password</h1>
      {value ? (
        <AuthForm
          action={resetPasswordAction}
          hidden={{ token: value }}
          submitLabel="Set password"
          fields={[...newPasswordFields("New password", "Confirm new password")]}
        />
      ) : (
        <p role="alert" className="text-sm text-danger">
          This reset link is incomplete.{" "}
          <Link href="/forgot-password" className="text-accent underline">
            Ask for a new one
          </Link>
          .
        </p>
      )}
    </>
  );
}
