import type { Metadata } from "next";
import { newPasswordFields } from "@/components/auth/password-fields";
import { AuthForm } from "@/components/auth/auth-form";
import { requirePageUser } from "@/lib/auth/page-user";
import { changePasswordAction, deleteAccountAction } from "@/lib/auth/account-actions";
import { ThemeSwitch } from "@/components/settings/theme-switch";
import { TransferPanel } from "@/components/settings/transfer-panel";
import { OpenRouterKeyPanel } from "@/components/settings/openrouter-key-panel";
import { getConfig } from "@/lib/config/env";
import { listProjectsOf } from "@/lib/projects/service";
import { userKeyStatus } from "@/lib/user-keys/service";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const user = await requirePageUser("/settings");
  // The import's "Into" choices: the 100 most recently active projects (the rest are one search away elsewhere).
  const [{ items }, keyStatus] = await Promise.all([listProjectsOf(user.id, { limit: 100 }), userKeyStatus(user.id)]);
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-8 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <section aria-labelledby="appearance-heading" className="rounded-lg border border-border bg-surface p-6">
        <h2 id="appearance-heading" className="mb-3 text-lg font-semibold">
          Appearance
        </h2>
        <ThemeSwitch />
      </section>
      <section aria-labelledby="password-heading" className="rounded-lg border border-border bg-surface p-6">
        <h2 id="password-heading" className="mb-1 text-lg font-semibold">
          Change password
        </h2>
        <p className="mb-4 text-sm text-muted">You will be logged out everywhere and log in again with the new password.</p>
        <AuthForm
          action={changePasswordAction}
          submitLabel="Change password"
          fields={[
            { name: "current_password", label: "Current password", type: "password", autoComplete: "current-password" },
            ...newPasswordFields("New password", "Confirm new password"),
          ]}
        />
      </section>
      {/* Turned off on the server, the section stays only for a user who has a key to remove. */}
      {(keyStatus.enabled || keyStatus.configured) && (
        <section aria-labelledby="openrouter-key-heading" className="rounded-lg border border-border bg-surface p-6">
          <h2 id="openrouter-key-heading" className="mb-3 text-lg font-semibold">
            Your OpenRouter key
          </h2>
          <OpenRouterKeyPanel initial={keyStatus} />
        </section>
      )}
      <section aria-labelledby="transfer-heading" className="rounded-lg border border-border bg-surface p-6">
        <h2 id="transfer-heading" className="mb-3 text-lg font-semibold">
          Export and import
        </h2>
        <TransferPanel projects={items.map((p) => ({ id: p.id, name: p.project_name }))} maxBytes={getConfig().importMaxBytes} />
      </section>
      <section aria-labelledby="delete-heading" className="rounded-lg border border-danger bg-surface p-6">
        <h2 id="delete-heading" className="mb-1 text-lg font-semibold text-danger">
          Delete account
        </h2>
        <p className="mb-4 text-sm text-muted">
          This removes every project, chat and message of yours, and the account itself. It cannot be undone. Type{" "}
          <strong className="text-fg">{user.email}</strong> to confirm.
        </p>
        <AuthForm
          action={deleteAccountAction}
          submitLabel="Delete my account"
          submitVariant="danger"
          fields={[{ name: "confirm_email", label: "Your email", type: "text", autoComplete: "off" }]}
        />
      </section>
    </main>
  );
}
