"use client";

import { startTransition, useActionState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { initialAuthFormState, type AuthFormState } from "@/lib/auth/form-state";

export interface AuthField {
  name: string;
  label: string;
  type: "text" | "email" | "password";
  autoComplete: string;
  hint?: string;
}

/**
 * The login, register, forgot- and reset-password forms: server action via useActionState, errors from the
 * server under each field (announced by Input), one alert for form-level failures, a pending submit button.
 * `noValidate`: the server's messages are the ones shown, the same for every browser.
 */
export function AuthForm({
  action,
  fields,
  submitLabel,
  hidden = {},
  footer,
  submitVariant = "primary",
}: {
  action: (previous: AuthFormState, form: FormData) => Promise<AuthFormState>;
  fields: AuthField[];
  submitLabel: string;
  hidden?: Record<string, string>;
  footer?: ReactNode;
  submitVariant?: "primary" | "danger";
}) {
  const [state, formAction, pending] = useActionState(action, initialAuthFormState);
  // React resets a form after its `action` ran, wiping what was typed: the server sends the plain fields back, but
  // never a password (it should not travel back in the page). Submitting here instead (no reset) keeps the
  // passwords in their inputs after a refusal. `action` stays for a submit before the page has hydrated.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  }
  return (
    <form action={formAction} onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={pending}>
      {state.formError && (
        <p role="alert" className="rounded-md border border-danger px-3 py-2 text-sm text-danger">
          {state.formError}
        </p>
      )}
      {state.message && (
        <p role="status" className="rounded-md border border-success px-3 py-2 text-sm text-success">
          {state.message}
        </p>
      )}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => (
        <Input
          key={field.name}
          name={field.name}
          label={field.label}
          type={field.type}
          autoComplete={field.autoComplete}
          hint={field.hint}
          required
          defaultValue={field.type === "password" ? undefined : state.values?.[field.name]}
          error={state.fieldErrors?.[field.name]}
        />
      ))}
      <Button type="submit" variant={submitVariant} pending={pending} className="w-full justify-center">
        {submitLabel}
      </Button>
      {footer}
    </form>
  );
}
