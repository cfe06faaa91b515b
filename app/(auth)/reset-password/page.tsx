import type { Metadata } from "next";
import Link from "next/link";
import { AuthForm } from "@/components/auth/auth-form";
import { PASSWORD_MIN } from "@/lib/auth/schemas";
import { resetPasswordAction } from "@/lib/auth/actions";

export const metadata: Metadata = { title: "Set a new password · Parley" };

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
          fields={[
            {
              name: "password",
              label: "New password",
              type: "password",
              autoComplete: "new-password",
              hint: `At least ${PASSWORD_MIN} characters`,
            },
            { name: "confirm", label: "Confirm new password", type: "password", autoComplete: "new-password" },
          ]}
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
