import type { AuthField } from "./auth-form";
import { PASSWORD_MIN } from "@/lib/auth/schemas";

/** A new password and its confirmation, as the register, reset and change-password forms ask for them. */
export function newPasswordFields(label: string, confirmLabel: string): AuthField[] {
  return [
    { name: "password", label, type: "password", autoComplete: "new-password", hint: `At least ${PASSWORD_MIN} characters` },
    { name: "confirm", label: confirmLabel, type: "password", autoComplete: "new-password" },
  ];
}
