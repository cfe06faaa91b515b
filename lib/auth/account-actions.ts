"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { AuthFormState } from "./form-state";
import { fieldErrorsOf, formStateOf, formText } from "./action-errors";
import { confirmedPasswordFields, passwordMismatch, passwordsMatch } from "./schemas";
import { requireUser } from "./server";
import { changePassword, deleteAccount, endBrowserSession } from "./service";

const changePasswordSchema = z
  .object({
    current_password: z.string().min(1, { message: "Enter your current password" }).max(128),
    ...confirmedPasswordFields,
  })
  .refine(passwordsMatch, passwordMismatch);

/** Changes the password; every session ends (other devices too), so this one logs in again. */
export async function changePasswordAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const user = await requireUser("/settings");
  const parsed = changePasswordSchema.safeParse({
    current_password: formText(form, "current_password"),
    password: formText(form, "password"),
    confirm: formText(form, "confirm"),
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await changePassword(user, parsed.data.current_password, parsed.data.password);
  } catch (error) {
    return formStateOf(error, {});
  }
  // Every session has ended server-side; this clears this browser's cookies.
  await endBrowserSession();
  redirect("/login?reset=1");
}

/** Deletes every project (chats and messages cascade) and the account, after the user typed their email. */
export async function deleteAccountAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const user = await requireUser("/settings");
  const typed = formText(form, "confirm_email").trim();
  if (typed.toLowerCase() !== user.email.toLowerCase()) {
    return { values: { confirm_email: typed }, fieldErrors: { confirm_email: "Type your email exactly to confirm" } };
  }
  await deleteAccount(user);
  // Other devices too: with Supabase the auth record outlives the deletion, and so would their sessions.
  await endBrowserSession({ everywhere: true });
  redirect("/login");
}
