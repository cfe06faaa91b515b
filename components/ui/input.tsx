import { forwardRef, useId, type InputHTMLAttributes } from "react";
import { cn } from "@/lib/utils/cn";

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  label?: string;
  /** A server- or client-side error shown under the field and announced to screen readers. */
  error?: string;
  hint?: string;
}

export const fieldClass =
  "w-full rounded-md border border-border bg-bg px-3 py-2 text-sm text-fg placeholder:text-muted focus:border-accent disabled:opacity-60 aria-[invalid=true]:border-danger";

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input(
  { label, error, hint, id, className, ...rest },
  ref,
) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className="flex flex-col gap-1">
      <FieldLabel htmlFor={inputId} label={label} />
      <input
        ref={ref}
        id={inputId}
        {...fieldAria(inputId, error, hint)}
        className={cn(fieldClass, "h-10", className)}
        {...rest}
      />
      <FieldMessage id={inputId} error={error} hint={hint} />
    </div>
  );
});

export function FieldMessage({ id, error, hint }: { id: string; error?: string; hint?: string }) {
  if (error)
    return (
      <p id={`${id}-error`} role="alert" className="text-xs text-danger">
        {error}
      </p>
    );
  if (hint)
    return (
      <p id={`${id}-hint`} className="text-xs text-muted">
        {hint}
      </p>
    );
  return null;
}

export function FieldLabel({ htmlFor, label }: { htmlFor: string; label?: string }) {
  if (!label) return null;
  return (
    <label htmlFor={htmlFor} className="text-sm font-medium">
      {label}
    </label>
  );
}

/** Ties a field to its error (preferred) or hint so screen readers announce it. */
export function fieldAria(id: string, error?: string, hint?: string) {
  return {
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}
