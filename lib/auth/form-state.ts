// Client-safe (the forms import it): no "server-only" here; the helpers that build this state are in action-errors.ts.

/** What an auth form's server action answers: field errors under the fields, one message above the form. */
export interface AuthFormState {
  fieldErrors?: Record<string, string>;
  formError?: string;
  message?: string;
  /** Echo of non-secret inputs, so a refused form keeps what the user typed. */
  values?: Record<string, string>;
}

export const initialAuthFormState: AuthFormState = {};
