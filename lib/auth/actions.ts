"use server";

import type { Route } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { AuthFormState } from "./form-state";
import { fieldErrorsOf, formStateOf, formText } from "./action-errors";
import { clientIpFrom } from "./client-ip";
import { safeNextPath } from "./next-path";
import {
  emailSchema,
  fullNameSchema,
  loginRequestSchema,
  RESET_REQUESTED_MESSAGE,
  confirmedPasswordFields,
  passwordMismatch,
  passwordsMatch,
} from "./schemas";
import { confirmPasswordReset, endBrowserSession, logIn, requestPasswordReset, signUp } from "./service";

const registerSchema = z
  .object({ full_name: fullNameSchema, email: emailSchema, ...confirmedPasswordFields })
  .refine(passwordsMatch, passwordMismatch);

const newPasswordSchema = z
  .object({ token: z.string().min(1, { message: "This reset link is incomplete" }).max(512), ...confirmedPasswordFields })
  .refine(passwordsMatch, passwordMismatch);

export async function loginAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const values = { email: formText(form, "email") };
  const parsed = loginRequestSchema.safeParse({ email: values.email, password: formText(form, "password") });
  if (!parsed.success) return { values, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    // "browser": the session goes into this browser's cookies.
    await logIn(parsed.data, clientIpFrom(await headers()), "browser");
  } catch (error) {
    return formStateOf(error, values);
  }
  redirect(safeNextPath(formText(form, "next")) as Route);
}

export async function registerAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const values = { email: formText(form, "email"), full_name: formText(form, "full_name") };
  const parsed = registerSchema.safeParse({
    ...values,
    password: formText(form, "password"),
    confirm: formText(form, "confirm"),
  });
  if (!parsed.success) return { values, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const result = await signUp(
      { email: parsed.data.email, password: parsed.data.password, fullName: parsed.data.full_name },
      clientIpFrom(await headers()),
      "browser",
    );
    if (!result.tokens) return { values, message: "Check your email to confirm your account, then log in." };
  } catch (error) {
    return formStateOf(error, values);
  }
  redirect(safeNextPath(formText(form, "next")) as Route);
}

export async function forgotPasswordAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const values = { email: formText(form, "email") };
  const parsed = z.object({ email: emailSchema }).safeParse(values);
  if (!parsed.success) return { values, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await requestPasswordReset(parsed.data.email, "browser");
  } catch (error) {
    return formStateOf(error, values);
  }
  return { values, message: RESET_REQUESTED_MESSAGE };
}

export async function resetPasswordAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = newPasswordSchema.safeParse({
    token: formText(form, "token"),
    password: formText(form, "password"),
    confirm: formText(form, "confirm"),
  });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return fieldErrors.token ? { formError: fieldErrors.token } : { fieldErrors };
  }
  try {
    await confirmPasswordReset(parsed.data.token, parsed.data.password, "browser");
  } catch (error) {
    return formStateOf(error, {});
  }
  redirect("/login?reset=1");
}

/** Revokes the session server-side, clears the cookies and goes to the login page. */
export async function logoutAction(): Promise<void> {
  await endBrowserSession();
  redirect("/login");
}
