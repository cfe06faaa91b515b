import { forwardRef, useId, type TextareaHTMLAttributes } from "react";
import { cn } from "@/lib/utils/cn";
import { FieldLabel, FieldMessage, fieldAria, fieldClass } from "./input";

export interface TextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label?: string;
  error?: string;
  hint?: string;
  /** Shows "n / max" under the field when maxLength is set. */
  showCount?: boolean;
}

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaProps>(function Textarea(
  { label, error, hint, id, className, showCount, maxLength, value, defaultValue, ...rest },
  ref,
) {
  const generated = useId();
  const inputId = id ?? generated;
  const length = String(value ?? defaultValue ?? "").length;
  return (
    <div className="flex flex-col gap-1">
      <FieldLabel htmlFor={inputId} label={label} />
      <textarea
        ref={ref}
        id={inputId}
        maxLength={maxLength}
        value={value}
        defaultValue={defaultValue}
        {...fieldAria(inputId, error, hint)}
        className={cn(fieldClass, "min-h-24 resize-y", className)}
        {...rest}
      />
      <div className="flex items-start justify-between gap-2">
        <FieldMessage id={inputId} error={error} hint={hint} />
        {showCount && maxLength !== undefined && (
          <span className="ml-auto text-xs tabular-nums text-muted" aria-live="polite">
            {length.toLocaleString("en-US")} / {maxLength.toLocaleString("en-US")}
          </span>
        )}
      </div>
    </div>
  );
});
